"""``/api/v1/petitions/``: list, register, retrieve, the workflow's actions, history."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.exceptions import Conflict
from disputes.api.views import ERRORS

from .. import selectors, services
from ..forms import PetitionLedgerFilterForm
from . import serializers as s

FILTERS = [OpenApiParameter(name, str) for name in (
    "received_from", "received_to", "large_grid", "small_grid", "kind", "form", "state",
    "overdue", "repeat", "group", "skip_level", "q")]


def _schema(request, summary):
    return extend_schema(request=request, responses={200: s.PetitionDetailSerializer, **ERRORS},
                         summary=summary)


class PetitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    filter_backends = []

    def get_queryset(self):
        filters = {}
        if self.action == "list":
            form = PetitionLedgerFilterForm(self.request.query_params, user=self.request.user)
            if not form.is_valid():
                raise ValidationError({f: list(e) for f, e in form.errors.items()})
            filters = form.cleaned_data
        return selectors.petition_list_for_user(user=self.request.user, filters=filters)

    def get_serializer_class(self):
        return s.PetitionListSerializer if self.action == "list" else s.PetitionDetailSerializer

    def _detail(self, petition, code=status.HTTP_200_OK):
        fresh = selectors.petition_get_for_user(user=self.request.user, pk=petition.pk)
        return Response(s.PetitionDetailSerializer(fresh, context={"request": self.request}).data,
                        status=code)

    def _load(self, request, serializer_class):
        petition = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        expected = data.validated_data.get("expected_state")
        if expected and expected != petition.state:
            raise Conflict(_("该事项当前状态为“%(state)s”，已不是您看到的状态。")
                           % {"state": petition.get_state_display()})
        return petition, data.validated_data

    @extend_schema(parameters=FILTERS, summary="信访台账 / Petitions ledger")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.PetitionInputSerializer,
                   responses={201: s.PetitionDetailSerializer, 400: ERRORS[400],
                              403: ERRORS[403]}, summary="登记信访事项 / Register a petition")
    def create(self, request, *args, **kwargs):
        data = s.PetitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        petition = services.petition_create(by=request.user, small_grid=fields.pop("small_grid"),
                                            petitioners=fields.pop("petitioners"), **fields)
        return self._detail(petition, status.HTTP_201_CREATED)

    @_schema(s.NoteInput, "受理 / Accept")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        petition, data = self._load(request, s.NoteInput)
        services.petition_accept(petition=petition, by=request.user, note=data["note"])
        return self._detail(petition)

    @_schema(s.DeclineInput, "不予受理 / Decline")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        petition, data = self._load(request, s.DeclineInput)
        services.petition_decline(petition=petition, by=request.user, reason=data["reason"],
                                  proper_channel=data["proper_channel"])
        return self._detail(petition)

    @_schema(s.GuideInput, "导访 / Guide")
    @action(detail=True, methods=["post"])
    def guide(self, request, pk=None):
        petition, data = self._load(request, s.GuideInput)
        services.petition_guide(petition=petition, by=request.user, guided_to=data["guided_to"])
        return self._detail(petition)

    @_schema(s.RequiredNoteInput, "上交 / Escalate")
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        petition, data = self._load(request, s.RequiredNoteInput)
        services.petition_escalate(petition=petition, by=request.user, note=data["note"])
        return self._detail(petition)

    @_schema(s.AssignCoordinatorInput, "指定镇级专人 / Assign the town coordinator")
    @action(detail=True, methods=["post"])
    def assign_coordinator(self, request, pk=None):
        petition, data = self._load(request, s.AssignCoordinatorInput)
        services.petition_assign_coordinator(petition=petition, by=request.user,
                                             coordinator=data["coordinator"],
                                             county_department=data["county_department"])
        return self._detail(petition)

    @_schema(s.ExtendInput, "延期 / Extend once (≤30 days)")
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        petition, data = self._load(request, s.ExtendInput)
        services.petition_extend(petition=petition, by=request.user, days=data["days"],
                                 reason=data["reason"], approver=data.get("approver"))
        return self._detail(petition)

    @_schema(s.ReplyInput, "答复 / Reply with the handling opinion")
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        petition, data = self._load(request, s.ReplyInput)
        services.petition_reply(petition=petition, by=request.user, request=data["request"],
                                facts=data["facts"], decision=data["decision"],
                                basis=data["basis"], result=data["result"],
                                category=data["category"])
        return self._detail(petition)

    @_schema(s.CloseInput, "办结 / Close")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        petition, data = self._load(request, s.CloseInput)
        services.petition_close(petition=petition, by=request.user, satisfied=data["satisfied"],
                                note=data["note"])
        return self._detail(petition)

    @_schema(s.ReviewInput, "复查复核 / Record a review request or its answer")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        petition, data = self._load(request, s.ReviewInput)
        if data.get("answered_on"):
            services.petition_review_answer(petition=petition, by=request.user,
                                            answered_on=data["answered_on"],
                                            opinion=data["opinion"],
                                            upheld=data.get("upheld", True))
        else:
            services.petition_review_request(petition=petition, by=request.user,
                                             requested_on=data["requested_on"],
                                             reviewing_body=data["reviewing_body"])
        return self._detail(petition)

    @_schema(s.DockInput, "访调对接 / Dock to mediation")
    @action(detail=True, methods=["post"])
    def dock(self, request, pk=None):
        petition, data = self._load(request, s.DockInput)
        services.petition_dock_to_dispute(petition=petition, by=request.user,
                                          parties_agree=data["parties_agree"],
                                          respondents=data.get("respondents") or [],
                                          category=data["category"])
        return self._detail(petition)

    @_schema(s.RequiredNoteInput, "撤回 / Withdraw")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        petition, data = self._load(request, s.RequiredNoteInput)
        services.petition_withdraw(petition=petition, by=request.user, reason=data["note"])
        return self._detail(petition)

    @_schema(s.HigherVisitInput, "越级上访记录 / Record a visit above the town")
    @action(detail=True, methods=["post"], url_path="higher-visits")
    def higher_visits(self, request, pk=None):
        petition = self.get_object()
        data = s.HigherVisitInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.petition_record_higher_visit(petition=petition, by=request.user,
                                              **data.validated_data)
        return self._detail(petition)

    @extend_schema(responses={200: s.EventSerializer(many=True), 404: ERRORS[404]},
                   summary="办理记录 / History")
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        petition = self.get_object()
        return Response(s.EventSerializer(selectors.petition_history(petition=petition),
                                          many=True).data)
