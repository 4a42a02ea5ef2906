"""Read-only, scoped, paginated endpoints for the organisation."""

import django_filters
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.authentication import ExpiringTokenAuthentication, token_expires_at, token_issue
from core.api.exceptions import LockedOut

from .. import selectors
from ..models import LargeGrid, MediationCommittee
from . import serializers


class TownIdFilter(django_filters.FilterSet):
    """``?town=<id>``: a plain number, so that a missing town and another town's id both give
    an empty list (a choice filter would answer 400 for the missing one only)."""

    town = django_filters.NumberFilter(field_name="town_id")

class LargeGridFilter(TownIdFilter):
    class Meta:
        model = LargeGrid
        fields = ["kind"]


class SmallGridFilter(django_filters.FilterSet):
    large_grid = django_filters.NumberFilter(field_name="large_grid_id")


class CommitteeFilter(TownIdFilter):
    class Meta:
        model = MediationCommittee
        fields = ["level"]


class TownViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TownSerializer

    def get_queryset(self):
        return selectors.town_list_for_user(user=self.request.user)

    @extend_schema(responses=serializers.TownSummarySerializer,
                   summary="镇组织架构统计 / Town organisation summary")
    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        town = self.get_object()
        return Response(selectors.town_summary(town=town))


class LargeGridViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.LargeGridSerializer
    filterset_class = LargeGridFilter

    def get_queryset(self):
        return selectors.large_grid_list_for_user(user=self.request.user)


class SmallGridViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.SmallGridSerializer
    filterset_class = SmallGridFilter

    def get_queryset(self):
        return selectors.small_grid_list_for_user(user=self.request.user)


class CommitteeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.CommitteeSerializer
    filterset_class = CommitteeFilter

    def get_queryset(self):
        return selectors.committee_list_for_user(user=self.request.user)


class CentreViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.CentreSerializer
    filterset_class = TownIdFilter

    def get_queryset(self):
        return selectors.centre_list_for_user(user=self.request.user)


class StaffViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.StaffSerializer
    filterset_class = TownIdFilter

    def get_queryset(self):
        return selectors.staff_list_for_user(user=self.request.user).order_by("town_id", "name", "id")


class TokenView(APIView):
    """Exchange a username and password for an API token (``Authorization: Token …``)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        # Without an authentication class DRF turns a failed login into 403; the contract
        # is 401 for bad credentials, so name the scheme the token is for.
        return "Token"

    @extend_schema(request=serializers.TokenRequestSerializer,
                   responses={200: serializers.TokenResponseSerializer,
                              400: OpenApiResponse(description="输入有误 / invalid input"),
                              401: OpenApiResponse(description="用户名或密码不正确 / bad credentials"),
                              429: OpenApiResponse(description="登录已锁定 / login locked")},
                   auth=[], summary="获取令牌 / Obtain a token")
    def post(self, request):
        data = serializers.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request=request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if getattr(request, "axes_locked_out", False):
            # django-axes refused (or has just locked) the account or the address.
            raise LockedOut()
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(_("用户名或密码不正确。"))
        token = token_issue(user)
        return Response({"token": token.key, "expires_at": token_expires_at(token)})

    @extend_schema(request=None,
                   responses={204: None, 401: OpenApiResponse(description="未登录 / no token")},
                   summary="注销令牌 / Revoke the token in use")
    def delete(self, request):
        authenticated = ExpiringTokenAuthentication().authenticate(request)
        if authenticated is None:
            raise exceptions.NotAuthenticated()
        authenticated[1].delete()
        return Response(status=204)
