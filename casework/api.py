"""The API side of case actions, shared by every case app: the error responses, the
expected-state check (409), the note inputs, the history row, and one ``POST
…/{id}/<action>/`` route per declared action (``action_routes``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action as route

from core.api.exceptions import Conflict
from core.api.flat import FlatRows
from core.idempotency import API_PARAMETER, api_once_per_token
from grid.models import Staff

from .actions import ActionSet

ERRORS = {
    400: OpenApiResponse(description="输入有误 / invalid input (field errors)"),
    403: OpenApiResponse(description="无权执行 / not allowed for this user"),
    404: OpenApiResponse(description="不存在或不在管辖范围 / not found or out of scope"),
    409: OpenApiResponse(description="当前状态不允许 / not allowed from the current state"),
}


class ExpectedStateInput(serializers.Serializer):
    """Every action's input: the state the caller saw; a different current state is a 409."""

    expected_state = serializers.CharField(
        required=False, help_text=_("调用方看到的状态；与当前状态不符时返回 409。"))


class RevealInput(serializers.Serializer):
    """Why the caller needs the full phones and ID numbers (recorded with who and when)."""

    reason = serializers.CharField(max_length=200, help_text=_("查看事由"))


class NoteInput(ExpectedStateInput):
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text=_("说明（可不填）"))


class RequiredNoteInput(ExpectedStateInput):
    note = serializers.CharField(help_text=_("说明（必填）"))


class StaffRefSerializer(FlatRows, serializers.ModelSerializer):
    class Meta:
        model = Staff
        fields = ["id", "name"]


class CaseEventSerializer(serializers.ModelSerializer):
    """One history row; each case app names its own subclass (``DisputeEventSerializer``…)
    with ``Meta.model`` set, so the schema has one component per history."""

    actor = serializers.CharField(source="actor.username", read_only=True)
    handler = StaffRefSerializer(read_only=True, allow_null=True)
    # A note written by the system reads in the request's language.
    note = serializers.CharField(source="note_display", read_only=True)

    class Meta:
        fields = ["id", "action", "from_state", "to_state", "actor", "handler", "note",
                  "created_at"]


def action_routes(actions: ActionSet, *, detail):
    """Class decorator for a case ``GenericViewSet``: one POST route per action with
    ``api=True``, answered with ``detail`` (the viewset's ``_detail(case)``)."""

    def decorate(viewset):
        for action in actions:
            if action.api:
                setattr(viewset, action.name, _route(actions, action, detail))
        return viewset

    return decorate


def _route(actions: ActionSet, action, detail):
    def handler(self, request, pk=None):
        case = self.get_object()
        data = action.serializer_class(data=request.data,
                                       context={"request": request, "case": case})
        data.is_valid(raise_exception=True)
        expected = data.validated_data.get("expected_state")
        if expected and expected != case.state:
            raise Conflict(actions.conflict_message % {"state": case.get_state_display()})
        actions.run(action, case=case, by=request.user,
                    inputs=action.inputs_from_note_named(dict(data.validated_data)))
        return self._detail(case)

    handler.__name__ = action.name
    handler.__doc__ = f"{action.label} / {action.summary}" if action.summary else None
    handler = api_once_per_token(handler)
    handler = route(detail=True, methods=["post"], url_path=action.route,
                    url_name=action.api_name or action.name.replace("_", "-"))(handler)
    summary = f"{action.label} / {action.summary}" if action.summary else str(action.label)
    return extend_schema(request=action.serializer_class, summary=summary,
                         parameters=[API_PARAMETER],
                         responses={200: detail, **ERRORS})(handler)


def personal_data_route(*, may_see, people, serializer):
    """``POST …/{id}/personal-data/`` for a case viewset: the case's people with full phones
    and ID numbers, for those ``may_see(case, user)`` allows; each request is recorded with
    who, when and why (《个人信息保护法》第五十一条)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext
    from rest_framework.response import Response

    from .personal_data import personal_data_access_record

    @extend_schema(request=RevealInput, responses={200: serializer(many=True), **ERRORS},
                   summary="完整个人信息（记录查看） / Full personal data (the view is recorded)")
    @route(detail=True, methods=["post"], url_path="personal-data", pagination_class=None)
    def personal_data(self, request, pk=None):
        case = self.get_object()
        if not may_see(case, request.user):
            raise PermissionDenied(gettext("您无权查看完整的个人信息。"))
        data = RevealInput(data=request.data)
        data.is_valid(raise_exception=True)
        personal_data_access_record(by=request.user, case=case,
                                    reason=data.validated_data["reason"])
        return Response(serializer(people(case), many=True).data)

    return personal_data
