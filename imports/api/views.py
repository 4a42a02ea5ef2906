"""``/api/v1/imports/``: the town's imports (list, detail), upload, check, commit, undo.

The same steps as the pages, through the same services: an upload is a draft, ``check``
chooses the sheet and the columns and checks every row (on the worker for a large file),
``commit`` writes all rows in one transaction or none, ``undo`` voids what an import added
while nothing has been done to it since."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from casework.api import ERRORS
from core.idempotency import API_PARAMETER, api_once_per_token

from .. import selectors, services
from ..models import ImportState
from . import serializers as s


class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    filter_backends = []
    serializer_class = s.ImportBatchSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.batch_list_for_user(user=self.request.user).order_by("-created_at",
                                                                              "-id")

    def get_serializer_class(self):
        return s.ImportBatchSerializer if self.action == "list" else s.ImportBatchDetailSerializer

    def get_object(self):
        return selectors.batch_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, batch, code=status.HTTP_200_OK):
        fresh = selectors.batch_get_for_user(user=self.request.user, pk=batch.pk)
        return Response(s.ImportBatchDetailSerializer(fresh).data, status=code)

    @extend_schema(request={"multipart/form-data": s.ImportUploadInput},
                   responses={201: s.ImportBatchDetailSerializer, **ERRORS},
                   parameters=[API_PARAMETER],
                   summary="上传台账 / Upload a register (kept as a draft)")
    @api_once_per_token
    def create(self, request, *args, **kwargs):
        data = s.ImportUploadInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        batch = services.import_upload(by=request.user, town=data.validated_data["town"],
                                       kind=data.validated_data["kind"],
                                       upload=data.validated_data["file"])
        return self._detail(batch, status.HTTP_201_CREATED)

    @extend_schema(request=s.ImportCheckInput,
                   responses={200: s.ImportBatchDetailSerializer, **ERRORS},
                   summary="校验 / Choose the sheet and columns, check every row")
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        batch = self.get_object()
        data = s.ImportCheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        if batch.state != ImportState.DRAFT:
            raise ValidationError(_("该导入已确认，不能再修改。"))
        sheet = data.validated_data.get("sheet")
        if sheet is not None:
            if sheet not in s.ImportBatchDetailSerializer().get_sheets(batch):
                raise ValidationError({"sheet": _("工作簿中没有名为“%(sheet)s”的工作表。") % {"sheet": sheet}})
            batch = services.import_choose_sheet(batch=batch, sheet=sheet)
        if not batch.mapping:
            raise ValidationError({"sheet": _("请先选择工作表。")})
        fields = data.validated_data.get("fields")
        if fields is not None:
            batch = services.import_set_mapping(batch=batch, fields=fields)
        services.import_check_request(batch=batch)
        return self._detail(batch)

    @extend_schema(request=None, parameters=[API_PARAMETER],
                   responses={200: s.ImportBatchDetailSerializer, **ERRORS},
                   summary="确认导入 / Commit every row in one transaction, or none")
    @action(detail=True, methods=["post"])
    @api_once_per_token
    def commit(self, request, pk=None):
        batch = self.get_object()
        if batch.state != ImportState.DRAFT:
            raise ValidationError(_("该导入已确认，不能再修改。"))
        if not batch.summary.get("ok"):
            raise ValidationError(_("仍有错误行，或尚未校验：请先校验，修正后重新上传。"))
        batch = services.import_start(batch=batch, by=request.user)
        return self._detail(batch)

    @extend_schema(request=s.ImportUndoInput, parameters=[API_PARAMETER],
                   responses={200: s.ImportBatchDetailSerializer, **ERRORS},
                   summary="撤销导入 / Undo the import as a whole (what it added voided)")
    @action(detail=True, methods=["post"])
    @api_once_per_token
    def undo(self, request, pk=None):
        batch = self.get_object()
        data = s.ImportUndoInput(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.import_undo(batch=batch, by=request.user,
                                     reason=data.validated_data["reason"])
        return self._detail(batch)
