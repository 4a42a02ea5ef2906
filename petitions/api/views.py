"""``/api/v1/petitions/``: list, register, retrieve, the workflow's actions, history."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework.api import ERRORS, action_routes, personal_data_route
from core.api.pagination import KeysetPagination
from core.idempotency import api_once_per_token

from .. import permissions, selectors, services
from ..actions import ACTIONS
from ..forms import PetitionLedgerFilterForm
from . import serializers as s

FILTERS = [OpenApiParameter(name, str) for name in (
    "received_from", "received_to", "large_grid", "small_grid", "kind", "form", "state",
    "overdue", "repeat", "group", "skip_level", "undelivered", "q")]


@action_routes(ACTIONS, detail=s.PetitionDetailSerializer)
class PetitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    filter_backends = []
    pagination_class = KeysetPagination
    keyset_key = "received_on"  # the ledger's order, newest first

    def get_queryset(self):
        filters = {}
        if self.action == "list":
            form = PetitionLedgerFilterForm(self.request.query_params, user=self.request.user)
            if not form.is_valid():
                raise ValidationError({f: list(e) for f, e in form.errors.items()})
            return (selectors.petition_list_for_user(user=self.request.user,
                                                     filters=form.cleaned_data)
                    .prefetch_related(None).prefetch_related(selectors.listed_petitioners())
                    # A row names its staff: their phones are not decrypted a row.
                    .defer("handler__phone", "proxy_agent__phone"))
        return selectors.petition_list_for_user(user=self.request.user, filters=filters)

    def get_serializer_class(self):
        return s.PetitionListSerializer if self.action == "list" else s.PetitionDetailSerializer

    def _detail(self, petition, code=status.HTTP_200_OK):
        fresh = selectors.petition_get_for_user(user=self.request.user, pk=petition.pk)
        return Response(s.PetitionDetailSerializer(fresh, context={"request": self.request}).data,
                        status=code)

    @extend_schema(parameters=FILTERS, summary="信访台账 / Petitions ledger")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.PetitionInputSerializer,
                   responses={201: s.PetitionDetailSerializer, 400: ERRORS[400],
                              403: ERRORS[403]}, summary="登记信访事项 / Register a petition")
    @api_once_per_token
    def create(self, request, *args, **kwargs):
        data = s.PetitionInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        petition = services.petition_create(by=request.user, small_grid=fields.pop("small_grid"),
                                            petitioners=fields.pop("petitioners"), **fields)
        return self._detail(petition, status.HTTP_201_CREATED)

    @extend_schema(request=s.HigherVisitInput, responses={200: s.PetitionDetailSerializer, **ERRORS},
                   summary="越级上访记录 / Record a visit above the town")
    @action(detail=True, methods=["post"], url_path="higher-visits")
    def higher_visits(self, request, pk=None):
        petition = self.get_object()
        data = s.HigherVisitInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.petition_record_higher_visit(petition=petition, by=request.user,
                                              **data.validated_data)
        return self._detail(petition)

    personal_data = personal_data_route(
        may_see=permissions.can_see_personal_data, people=lambda case: case.petitioners.all(),
        serializer=s.PetitionerSerializer)

    @extend_schema(responses={200: s.PetitionEventSerializer(many=True), 404: ERRORS[404]},
                   summary="办理记录 / History")
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        petition = self.get_object()
        return Response(s.PetitionEventSerializer(selectors.petition_history(petition=petition),
                                                  many=True).data)
