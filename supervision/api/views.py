"""``/api/v1/notices/``: list, issue, retrieve; acknowledge, progress, report, verify, return."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.exceptions import Conflict
from disputes.api.views import ERRORS

from .. import selectors, services
from . import serializers as s


def _schema(request, summary):
    return extend_schema(request=request, responses={200: s.NoticeDetailSerializer, **ERRORS},
                         summary=summary)


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    filter_backends = []

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

    def _load(self, request, serializer_class):
        notice = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        expected = data.validated_data.get("expected_state")
        if expected and expected != notice.state:
            raise Conflict(_("该督办件当前状态为“%(state)s”，已不是您看到的状态。")
                           % {"state": notice.get_state_display()})
        return notice, data.validated_data

    @extend_schema(request=s.NoticeInputSerializer,
                   responses={201: s.NoticeDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]},
                   summary="下发督办件 / Issue a notice with the four fixes")
    def create(self, request, *args, **kwargs):
        data = s.NoticeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        town = selectors.lead_town_for_user(user=request.user)
        if town is None:
            raise PermissionDenied(_("只有镇党委、政府领导可以下发督办件。"))
        fields = dict(data.validated_data)
        notice = services.notice_issue(by=request.user, town=town, **fields)
        return self._detail(notice, status.HTTP_201_CREATED)

    @_schema(s.NoteInput, "签收 / Acknowledge")
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        notice, data = self._load(request, s.NoteInput)
        services.notice_acknowledge(notice=notice, by=request.user, note=data["note"])
        return self._detail(notice)

    @_schema(s.ProgressInput, "进展 / Post progress")
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        notice, data = self._load(request, s.ProgressInput)
        services.notice_progress(notice=notice, by=request.user, note=data["note"])
        return self._detail(notice)

    @_schema(s.ReportInput, "报告结果 / Report the result")
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        notice, data = self._load(request, s.ReportInput)
        services.notice_report(notice=notice, by=request.user, result=data["result"],
                               completed=data["completed"], shortfall=data["shortfall"])
        return self._detail(notice)

    @_schema(s.VerifyInput, "核验 / Verify")
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        notice, data = self._load(request, s.VerifyInput)
        services.notice_verify(notice=notice, by=request.user, **{
            k: data[k] for k in ("facts_checked", "problem_solved", "measures_lawful",
                                 "opinion")})
        return self._detail(notice)

    @_schema(s.ReturnInput, "退回 / Return for more work with a new deadline")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_for_work(self, request, pk=None):
        notice, data = self._load(request, s.ReturnInput)
        services.notice_return(notice=notice, by=request.user, opinion=data["opinion"],
                               new_deadline=data["new_deadline"],
                               facts_checked=data["facts_checked"],
                               problem_solved=data["problem_solved"],
                               measures_lawful=data["measures_lawful"])
        return self._detail(notice)

    @extend_schema(responses={200: s.EventSerializer(many=True), 404: ERRORS[404]},
                   summary="督办记录 / History")
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        notice = self.get_object()
        events = notice.events.select_related("actor").order_by("created_at", "id")
        return Response(s.EventSerializer(events, many=True).data)
