"""The staff API of outreach: applications with their actions, the SMS log. The public pages
(``/q/``, ``/apply/``) are not part of it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.response import Response

from casework.api import ERRORS, action_routes
from core.api.pagination import KeysetPagination

from .. import selectors
from ..actions import ACTIONS
from . import serializers as s


@extend_schema_view(
    list=extend_schema(summary="调解申请 / Applications for mediation in the user's grids"),
    retrieve=extend_schema(summary="调解申请详情 / One application"),
)
@action_routes(ACTIONS, detail=s.ApplicationDetailSerializer)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    filter_backends = []
    pagination_class = KeysetPagination
    keyset_key = "submitted_at"

    def get_queryset(self):
        state = self.request.query_params.get("state") or None
        return selectors.application_list_for_user(user=self.request.user, state=state)

    def get_serializer_class(self):
        return (s.ApplicationSerializer if self.action == "list"
                else s.ApplicationDetailSerializer)

    def _detail(self, application, code=status.HTTP_200_OK):
        fresh = selectors.application_get_for_user(user=self.request.user, pk=application.pk)
        return Response(s.ApplicationDetailSerializer(fresh, context={"request": self.request})
                        .data, status=code)

    @extend_schema(responses={200: s.ApplicationEventSerializer(many=True), **ERRORS},
                   summary="办理记录 / History")
    @route(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        return Response(s.ApplicationEventSerializer(self.get_object().events.all(),
                                                     many=True).data)


@extend_schema_view(
    list=extend_schema(summary="短信记录 / The SMS log (numbers masked)"),
    retrieve=extend_schema(summary="一条短信 / One message"),
)
class SmsMessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    serializer_class = s.SmsMessageSerializer
    filter_backends = []
    pagination_class = KeysetPagination
    keyset_key = "created_at"

    def get_queryset(self):
        qs = selectors.sms_list_for_user(user=self.request.user)
        status_ = self.request.query_params.get("status")
        return qs.filter(status=status_) if status_ else qs
