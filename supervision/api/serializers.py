from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.api import CaseEventSerializer, ExpectedStateInput, StaffRefSerializer
from core.api.fields import ScopedPrimaryKeyRelatedField
from core.api.flat import FlatRows
from disputes.models import Dispute
from disputes.selectors import dispute_list_for_user
from grid.models import LargeGrid, Staff
from grid.selectors import large_grid_choices_for_user, staff_choices_for_user
from petitions.models import Petition
from petitions.selectors import petition_list_for_user

from ..models import NoticeEvent, NoticeKind, NoticeReport, SupervisionNotice, TargetOffice, Urgency


class NoticeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    title = serializers.CharField(max_length=120)
    situation = serializers.CharField()
    target_large_grids = ScopedPrimaryKeyRelatedField(
        queryset=LargeGrid.objects.all(), scoped=large_grid_choices_for_user, many=True,
        required=False)
    target_offices = serializers.ListField(child=serializers.ChoiceField(
        choices=TargetOffice.choices), required=False)
    leader_in_charge = ScopedPrimaryKeyRelatedField(
        queryset=Staff.objects.all(), scoped=staff_choices_for_user,
        help_text=_("定领导"))
    measures = serializers.CharField(help_text=_("定措施"))
    responsible = ScopedPrimaryKeyRelatedField(
        queryset=Staff.objects.all(), scoped=staff_choices_for_user,
        help_text=_("定责任"))
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ORDINARY)
    deadline = serializers.DateTimeField(required=False, allow_null=True, help_text=_("定时限"))
    dispute = ScopedPrimaryKeyRelatedField(
        queryset=Dispute.objects.all(), scoped=dispute_list_for_user, required=False,
        allow_null=True)
    petition = ScopedPrimaryKeyRelatedField(
        queryset=Petition.objects.all(), scoped=petition_list_for_user,
        required=False, allow_null=True)


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeReport
        fields = ["result", "completed", "shortfall", "reported_at", "facts_checked",
                  "problem_solved", "measures_lawful", "check_opinion", "checked_at", "accepted",
                  "new_deadline"]


class NoticeRowSerializer(serializers.ModelSerializer):
    """A notice's row: the list's fields, which the notice itself extends."""

    state = serializers.ChoiceField(choices=SupervisionNotice._meta.get_field("state").choices,
                                    read_only=True)
    leader_in_charge = StaffRefSerializer(read_only=True, allow_null=True)
    responsible = StaffRefSerializer(read_only=True, allow_null=True)
    issuer = StaffRefSerializer(read_only=True, allow_null=True)
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = SupervisionNotice
        fields = ["id", "number", "kind", "title", "town", "target_large_grids",
                  "target_offices", "urgency", "leader_in_charge", "measures", "responsible",
                  "deadline", "state", "overdue", "issuer", "dispute", "petition", "created_at"]


class NoticeSerializer(FlatRows, NoticeRowSerializer):
    """The ledger's rows, written by steps built once (``core.api.flat``)."""

    class Meta(NoticeRowSerializer.Meta):
        pass


class NoticeDetailSerializer(NoticeRowSerializer):
    reports = ReportSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta(NoticeRowSerializer.Meta):
        fields = NoticeRowSerializer.Meta.fields + ["situation", "acknowledged_at", "verified_at",
                                                 "reports", "available_actions"]

    def get_available_actions(self, obj) -> list[str]:
        from ..actions import ACTIONS

        return [ACTIONS.get(name).route
                for name in ACTIONS.available(obj, self.context["request"].user)]


class NoticeEventSerializer(CaseEventSerializer):
    class Meta(CaseEventSerializer.Meta):
        model = NoticeEvent
        fields = ["id", "action", "from_state", "to_state", "actor", "note", "created_at"]


class ReportInput(ExpectedStateInput):
    result = serializers.CharField()
    completed = serializers.BooleanField(default=True)
    shortfall = serializers.CharField(required=False, allow_blank=True, default="")


class VerifyInput(ExpectedStateInput):
    facts_checked = serializers.BooleanField()
    problem_solved = serializers.BooleanField()
    measures_lawful = serializers.BooleanField()
    opinion = serializers.CharField()


class ReturnInput(ExpectedStateInput):
    opinion = serializers.CharField()
    new_deadline = serializers.DateTimeField()
    facts_checked = serializers.BooleanField(required=False, allow_null=True, default=None)
    problem_solved = serializers.BooleanField(required=False, allow_null=True, default=None)
    measures_lawful = serializers.BooleanField(required=False, allow_null=True, default=None)
