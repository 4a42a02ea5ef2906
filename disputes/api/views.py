"""``/api/v1/disputes/``: the ledger's filters, intake, the case, its transitions, history."""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Prefetch, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework.api import ERRORS, action_routes, personal_data_route
from core.api.pagination import KeysetPagination
from core.idempotency import api_once_per_token
from core.rows import set_empty_related

from .. import permissions, selectors, services
from ..actions import ACTIONS
from ..filters import LedgerFilterForm
from ..models import Party, PoliceReport
from . import serializers as s


class StaffRow(NamedTuple):
    """A list row's handler as ``StaffRefSerializer`` writes it."""

    id: int
    name: str

FILTER_PARAMS = [
    OpenApiParameter("found_from", str, description="YYYY-MM-DD"),
    OpenApiParameter("found_to", str, description="YYYY-MM-DD"),
    OpenApiParameter("large_grid", int), OpenApiParameter("small_grid", int),
    OpenApiParameter("category", str), OpenApiParameter("state", str),
    OpenApiParameter("risk_level", str), OpenApiParameter("overdue", bool),
    OpenApiParameter("legal_aid", bool), OpenApiParameter("q", str),
]


@action_routes(ACTIONS, detail=s.DisputeDetailSerializer)
class DisputeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    filter_backends = []  # the ledger's own filters, validated by LedgerFilterForm
    pagination_class = KeysetPagination
    keyset_key = "found_at"  # the ledger's order: found_at DESC, id DESC

    def _filters(self) -> dict:
        """The ledger's filters from the query string, validated once a request (the list
        and its count both read them)."""
        if not hasattr(self, "_cleaned_filters"):
            form = LedgerFilterForm(self.request.query_params, user=self.request.user)
            if not form.is_valid():
                raise ValidationError({f: list(errs) for f, errs in form.errors.items()})
            self._cleaned_filters = form.cleaned_data
        return self._cleaned_filters

    def get_queryset(self):
        if self.action == "list":
            # Only the joins a row shows: with the case's every relation joined, PostgreSQL
            # spent 18 ms planning the page's query (2 ms to run it). The parties are read
            # for the page once it is cut (``paginate_queryset``).
            # The village's id and the handler's name come as values of the row (no small
            # grid's or handler's instance a row: they were two thirds of the instances).
            return (selectors.dispute_list_for_user(user=self.request.user,
                                                    filters=self._filters())
                    .select_related(None).only(*s.DisputeListSerializer.COLUMNS)
                    .annotate(**{name: F(path) for name, path
                                 in s.DisputeListSerializer.LISTED_NAMES.items()})
                    .prefetch_related(None))
        if self.action == "retrieve":
            # What the detail shows: the grid (its village's id), the handler, the agreement
            # with its confirmation, the parties and the police reports with who signed them
            # (read once, when the case has any: the offered actions read them too).
            return (selectors.dispute_list_for_user(user=self.request.user)
                    .select_related(None).select_related("small_grid", "handler",
                                                         "agreement__confirmation")
                    .annotate(has_police_reports=Exists(
                        PoliceReport.objects.filter(dispute=OuterRef("pk"))))
                    .prefetch_related(None).prefetch_related(
                        Prefetch("parties", queryset=Party.objects.order_by("id"))))
        return selectors.dispute_list_for_user(user=self.request.user).prefetch_related(None)

    def get_object(self):
        case = super().get_object()
        if self.action == "retrieve":
            if case.has_police_reports:
                prefetch_related_objects([case], Prefetch(
                    "police_reports",
                    queryset=PoliceReport.objects.select_related("acknowledged_by")))
            else:
                set_empty_related(case, "police_reports")
        return case

    def paginate_queryset(self, queryset):
        """The page's cases, each with its parties in ``listed_parties``: one query for the
        page, the columns a row shows as named tuples (no model instance, nothing
        decrypted: the masks are kept beside the cipher text)."""
        page = super().paginate_queryset(queryset)
        if self.action == "list" and page:
            parties = {}
            for party in (Party.objects.filter(dispute_id__any_of=[case.pk for case in page])
                          .order_by("id")
                          .values_list(*s.MaskedPartySerializer.COLUMNS, named=True)):
                parties.setdefault(party.dispute_id, []).append(party)
            for case in page:
                case.listed_parties = parties.get(case.pk, [])
                case.listed_handler = (StaffRow(case.handler_id, case.row_handler_name)
                                       if case.handler_id else None)
        return page

    def keyset_exact_count(self):
        return selectors.dispute_count_for_user(user=self.request.user, filters=self._filters())

    def get_serializer_class(self):
        if self.action == "list":
            return s.DisputeListSerializer
        return s.DisputeDetailSerializer

    def _detail(self, dispute):
        fresh = selectors.dispute_get_for_user(user=self.request.user, pk=dispute.pk)
        return Response(s.DisputeDetailSerializer(fresh, context={"request": self.request}).data)

    @extend_schema(parameters=FILTER_PARAMS, summary="纠纷台账 / Dispute ledger")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.DisputeInputSerializer,
                   responses={201: s.DisputeDetailSerializer, 400: ERRORS[400],
                              403: ERRORS[403]},
                   summary="登记纠纷 / Log a dispute")
    @api_once_per_token
    def create(self, request, *args, **kwargs):
        data = s.DisputeInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        small_grid = fields.pop("small_grid")
        parties = fields.pop("parties")
        dispute = services.dispute_create(by=request.user, small_grid=small_grid,
                                          parties=parties, **fields)
        response = self._detail(dispute)
        response.status_code = status.HTTP_201_CREATED
        return response

    personal_data = personal_data_route(
        may_see=permissions.can_see_personal_data, people=lambda case: case.parties.all(),
        serializer=s.PartySerializer)

    @extend_schema(responses={200: s.DisputeEventSerializer(many=True), 404: ERRORS[404]},
                   summary="办理记录 / History")
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        dispute = self.get_object()
        events = selectors.dispute_history(dispute=dispute)
        return Response(s.DisputeEventSerializer(events, many=True).data)

    @extend_schema(parameters=FILTER_PARAMS, responses=s.FengqiaoSerializer,
                   summary="四道防线化解情况 / Resolved per tier and referred")
    @action(detail=False, methods=["get"])
    def fengqiao(self, request):
        form = LedgerFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError({f: list(errs) for f, errs in form.errors.items()})
        headline = selectors.fengqiao_headline(user=request.user, filters=form.cleaned_data)
        return Response(s.FengqiaoSerializer(headline).data)


