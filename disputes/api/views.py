"""``/api/v1/disputes/``: the ledger's filters, intake, the case, its transitions, history."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.exceptions import Conflict
from grid.models import Staff
from grid.scope import scope_for_user

from .. import selectors, services
from ..filters import LedgerFilterForm
from . import serializers as s

ERRORS = {
    400: OpenApiResponse(description="输入有误 / invalid input (field errors)"),
    403: OpenApiResponse(description="无权执行 / not allowed for this user"),
    404: OpenApiResponse(description="不存在或不在管辖范围 / not found or out of scope"),
    409: OpenApiResponse(description="当前状态不允许 / not allowed from the current state"),
}
FILTER_PARAMS = [
    OpenApiParameter("found_from", str, description="YYYY-MM-DD"),
    OpenApiParameter("found_to", str, description="YYYY-MM-DD"),
    OpenApiParameter("large_grid", int), OpenApiParameter("small_grid", int),
    OpenApiParameter("category", str), OpenApiParameter("state", str),
    OpenApiParameter("risk_level", str), OpenApiParameter("overdue", bool),
    OpenApiParameter("legal_aid", bool), OpenApiParameter("q", str),
]


def _transition_schema(request_serializer, summary):
    return extend_schema(request=request_serializer,
                         responses={200: s.DisputeDetailSerializer, **ERRORS}, summary=summary)


class DisputeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    filter_backends = []  # the ledger's own filters, validated by LedgerFilterForm

    def get_queryset(self):
        if self.action == "list":
            form = LedgerFilterForm(self.request.query_params, user=self.request.user)
            if not form.is_valid():
                raise ValidationError({f: list(errs) for f, errs in form.errors.items()})
            return selectors.dispute_list_for_user(user=self.request.user,
                                                   filters=form.cleaned_data)
        return selectors.dispute_list_for_user(user=self.request.user).prefetch_related(None)

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
    def create(self, request, *args, **kwargs):
        data = s.DisputeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        small_grid = fields.pop("small_grid")
        parties = fields.pop("parties")
        dispute = services.dispute_create(by=request.user, small_grid=small_grid,
                                          parties=parties, **fields)
        response = self._detail(dispute)
        response.status_code = status.HTTP_201_CREATED
        return response

    def _load(self, request, serializer_class):
        dispute = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        expected = data.validated_data.get("expected_state")
        if expected and expected != dispute.state:
            raise Conflict(_("该案件当前状态为“%(state)s”，已不是您看到的状态。")
                           % {"state": dispute.get_state_display()})
        return dispute, data.validated_data

    @_transition_schema(s.EscalateInputSerializer, "上交上一级 / Escalate one tier")
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        dispute, data = self._load(request, s.EscalateInputSerializer)
        services.dispute_escalate(dispute=dispute, by=request.user, note=data["note"],
                                  mediator=data.get("mediator"))
        return self._detail(dispute)

    @_transition_schema(s.EscalateUrgentInputSerializer, "紧急上报 / Escalate to the chair")
    @action(detail=True, methods=["post"])
    def escalate_urgent(self, request, pk=None):
        dispute, data = self._load(request, s.EscalateUrgentInputSerializer)
        services.dispute_escalate_urgent(dispute=dispute, by=request.user,
                                         justification=data["note"])
        return self._detail(dispute)

    @_transition_schema(s.ResolveInputSerializer, "调解成功 / Resolve")
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        dispute, data = self._load(request, s.ResolveInputSerializer)
        services.dispute_resolve(dispute=dispute, by=request.user, outcome=data["note"],
                                 agreement=data.get("agreement"),
                                 written_required=data["written_required"])
        return self._detail(dispute)

    @_transition_schema(s.ReferInputSerializer, "移交 / Refer")
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        dispute, data = self._load(request, s.ReferInputSerializer)
        services.dispute_refer(dispute=dispute, by=request.user, target=data["target"],
                               note=data["note"])
        return self._detail(dispute)

    @_transition_schema(s.FollowUpInputSerializer, "回访 / Record a follow-up visit")
    @action(detail=True, methods=["post"])
    def followup(self, request, pk=None):
        dispute, data = self._load(request, s.FollowUpInputSerializer)
        visitor = data.get("visitor") or Staff.objects.filter(
            pk=scope_for_user(request.user).staff_id).first()
        if visitor is None:
            raise ValidationError({"visitor": _("请指定回访人。")})
        services.dispute_followup(dispute=dispute, by=request.user, visited_on=data["visited_on"],
                                  visitor=visitor, agreement_kept=data["agreement_kept"],
                                  note=data["note"])
        return self._detail(dispute)

    @_transition_schema(s.NoteInputSerializer, "结案 / Close")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        dispute, data = self._load(request, s.NoteInputSerializer)
        services.dispute_close(dispute=dispute, by=request.user, note=data["note"])
        return self._detail(dispute)

    @_transition_schema(s.RequiredNoteInputSerializer, "重新调解 / Reopen")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        dispute, data = self._load(request, s.RequiredNoteInputSerializer)
        services.dispute_reopen(dispute=dispute, by=request.user, note=data["note"])
        return self._detail(dispute)

    @_transition_schema(s.RequiredNoteInputSerializer, "撤回 / Withdraw")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        dispute, data = self._load(request, s.RequiredNoteInputSerializer)
        services.dispute_withdraw(dispute=dispute, by=request.user, reason=data["note"])
        return self._detail(dispute)

    @_transition_schema(s.RequiredNoteInputSerializer, "作废 / Void (reason required)")
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        dispute, data = self._load(request, s.RequiredNoteInputSerializer)
        services.dispute_void(dispute=dispute, by=request.user, reason=data["note"])
        return self._detail(dispute)

    @extend_schema(responses={200: s.EventSerializer(many=True), 404: ERRORS[404]},
                   summary="办理记录 / History")
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        dispute = self.get_object()
        events = selectors.dispute_history(dispute=dispute)
        return Response(s.EventSerializer(events, many=True).data)

    @extend_schema(parameters=FILTER_PARAMS, responses=s.FengqiaoSerializer,
                   summary="四道防线化解情况 / Resolved per tier and referred")
    @action(detail=False, methods=["get"])
    def fengqiao(self, request):
        form = LedgerFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError({f: list(errs) for f, errs in form.errors.items()})
        headline = selectors.fengqiao_headline(user=request.user, filters=form.cleaned_data)
        return Response(s.FengqiaoSerializer(headline).data)


