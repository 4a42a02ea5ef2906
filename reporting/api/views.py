"""``/api/v1/statistics/``: the figures of a town and period, the reports (draft, file,
correct) and ``/api/v1/bulletins/`` (list, detail, edit, issue, read)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api import ERRORS, action_routes
from core.api.fields import NOT_FOUND
from core.idempotency import api_once_per_token

from .. import selectors, services
from ..actions import BULLETIN_ACTIONS, REPORT_ACTIONS
from ..exports import statistics_payload
from ..figures import statistics_figures
from ..periods import parse_period
from . import serializers as s


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _period(value):
    try:
        return parse_period(value or "")
    except ValueError as exc:
        raise ValidationError({"period": [_("统计期间格式不正确：2026-11、2026-Q4 或 2026。")]}) \
            from exc


class MediationStatisticsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("town", int, required=True),
                    OpenApiParameter("period", str, required=True,
                                     description="2026-11 | 2026-Q4 | 2026")],
        responses={200: s.StatisticsSerializer, 400: ERRORS[400], 404: ERRORS[404]},
        summary="人民调解统计 / The statistics report's figures, counted now")
    def get(self, request):
        period = _period(request.query_params.get("period"))
        town_id = request.query_params.get("town", "")
        town = (selectors.report_towns(user=request.user).filter(pk=int(town_id)).first()
                if town_id.isdigit() else None)
        if town is None:
            raise NotFound(NOT_FOUND)
        filed = selectors.report_in_force(town=town, period=period)
        return Response(statistics_payload(
            statistics_figures(town=town, period=period),
            filed_report=filed.pk if filed is not None and filed.is_frozen else None))


@action_routes(REPORT_ACTIONS, detail=s.StatisticsReportDetailSerializer)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pagination_class = Pages
    filter_backends = []

    def get_queryset(self):
        qs = selectors.report_list_for_user(user=self.request.user).prefetch_related(
            "corrections")
        period = self.request.query_params.get("period")
        return qs.filter(period=_period(period).code) if period else qs

    def get_serializer_class(self):
        return s.StatisticsReportSerializer if self.action == "list" else s.StatisticsReportDetailSerializer

    def _detail(self, report, code=status.HTTP_200_OK):
        fresh = selectors.report_get_for_user(user=self.request.user, pk=report.pk)
        return Response(s.StatisticsReportDetailSerializer(fresh, context={"request": self.request}).data,
                        status=code)

    @extend_schema(parameters=[OpenApiParameter("period", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.StatisticsReportDraftInput,
                   responses={201: s.StatisticsReportDetailSerializer, 400: ERRORS[400],
                              403: ERRORS[403]},
                   summary="制表 / Draft the report of a closed period (or the version in force)")
    @api_once_per_token
    def create(self, request, *args, **kwargs):
        data = s.StatisticsReportDraftInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        report = services.statistics_report_draft(
            town=data.validated_data["town"], period=_period(data.validated_data["period"]),
            by=request.user)
        return self._detail(report, status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.StatisticsReportEventSerializer(many=True), 404: ERRORS[404]},
                   summary="报表记录 / History")
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        report = self.get_object()
        events = report.events.select_related("actor", "handler").order_by("created_at", "id")
        return Response(s.StatisticsReportEventSerializer(events, many=True).data)


@action_routes(BULLETIN_ACTIONS, detail=s.BulletinDetailSerializer)
class BulletinViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pagination_class = Pages
    filter_backends = []

    def get_queryset(self):
        return selectors.bulletin_list_for_user(user=self.request.user).prefetch_related(
            "recipients__user", "recipients__large_grid")

    def get_serializer_class(self):
        return s.BulletinSerializer if self.action == "list" else s.BulletinDetailSerializer

    def _detail(self, bulletin):
        fresh = selectors.bulletin_get_for_user(user=self.request.user, pk=bulletin.pk)
        return Response(s.BulletinDetailSerializer(fresh, context={"request": self.request}).data)

    @extend_schema(responses={200: s.BulletinEventSerializer(many=True), 404: ERRORS[404]},
                   summary="通报记录 / History")
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        bulletin = self.get_object()
        events = bulletin.events.select_related("actor", "handler").order_by("created_at", "id")
        return Response(s.BulletinEventSerializer(events, many=True).data)
