"""``/api/v1/notices/``: list, issue, retrieve; acknowledge, progress, report, verify, return."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework.api import ERRORS, action_routes
from core.api.pagination import KeysetPagination
from core.idempotency import api_once_per_token

from .. import selectors, services
from ..actions import ACTIONS
from . import serializers as s


@action_routes(ACTIONS, detail=s.NoticeDetailSerializer)
class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    filter_backends = []
    pagination_class = KeysetPagination
    keyset_key = "created_at"  # the ledger's order, newest first

    def get_queryset(self):
        filters = {k: v for k, v in self.request.query_params.items()
                   if k in ("kind", "state", "urgency")}
        if self.request.query_params.get("overdue") in ("1", "true"):
            filters["overdue"] = True
        return selectors.notice_list_for_user(user=self.request.user, filters=filters)

    def get_serializer_class(self):
        return s.NoticeSerializer if self.action == "list" else s.NoticeDetailSerializer

    def _detail(self, notice, code=status.HTTP_200_OK):
        fresh = selectors.notice_get_for_user(user=self.request.user, pk=notice.pk)
        return Response(s.NoticeDetailSerializer(fresh, context={"request": self.request}).data,
                        status=code)

    @extend_schema(request=s.NoticeInputSerializer,
                   responses={201: s.NoticeDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]},
                   summary="下发督办件 / Issue a notice with the four fixes")
    @api_once_per_token
    def create(self, request, *args, **kwargs):
        data = s.NoticeInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        town = selectors.lead_town_for_user(user=request.user)
        if town is None:
            raise PermissionDenied(_("只有镇党委、政府领导可以下发督办件。"))
        fields = dict(data.validated_data)
        notice = services.notice_issue(by=request.user, town=town, **fields)
        return self._detail(notice, status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.NoticeEventSerializer(many=True), 404: ERRORS[404]},
                   summary="督办记录 / History")
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        notice = self.get_object()
        events = notice.events.select_related("actor").order_by("created_at", "id")
        return Response(s.NoticeEventSerializer(events, many=True).data)
