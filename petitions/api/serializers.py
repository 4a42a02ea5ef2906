"""Petition API serializers. Accusations never show who filed them, except to the petition
office and town leadership; lists always mask personal data."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.api import CaseEventSerializer, ExpectedStateInput, StaffRefSerializer
from core.api.fields import ScopedPrimaryKeyRelatedField
from core.masking import mask_id_number, mask_phone
from disputes.api.serializers import PartyInputSerializer
from disputes.models import DisputeCategory
from grid.models import SmallGrid, Staff
from grid.selectors import small_grid_choices_for_user, staff_choices_for_user

from .. import permissions
from ..exports import petitioners_display
from ..models import (
    HigherLevelVisit,
    Petition,
    Petitioner,
    PetitionEvent,
    PetitionForm,
    PetitionKind,
    PetitionReview,
    ReplyResult,
    ThreeInPlaceCategory,
)


class PetitionerInputSerializer(PartyInputSerializer):
    role = None
    is_representative = serializers.BooleanField(default=False)


class PetitionInputSerializer(serializers.Serializer):
    small_grid = ScopedPrimaryKeyRelatedField(queryset=SmallGrid.objects.all(),
                                              scoped=small_grid_choices_for_user)
    form = serializers.ChoiceField(choices=PetitionForm.choices)
    kind = serializers.ChoiceField(choices=PetitionKind.choices)
    subject = serializers.CharField(max_length=120)
    content = serializers.CharField()
    received_on = serializers.DateField(required=False)
    people_count = serializers.IntegerField(min_value=1, default=1)
    in_litigation = serializers.BooleanField(default=False)
    administrative_matter = serializers.BooleanField(default=False)
    assigned_by_higher = serializers.BooleanField(default=False)
    petitioners = PetitionerInputSerializer(many=True, allow_empty=False)


class PetitionerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Petitioner
        fields = ["id", "name", "is_representative", "gender", "ethnicity", "age", "occupation",
                  "address", "phone", "id_number"]


class CasePetitionerSerializer(PetitionerSerializer):
    """Phone and ID number masked: the full values only through the recorded
    ``personal-data`` request."""

    phone = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.id_number)


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = PetitionReview
        fields = ["kind", "requested_on", "due_on", "reviewing_body", "answered_on", "opinion",
                  "upheld"]


class PetitionListSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=Petition._meta.get_field("state").choices,
                                    read_only=True)
    large_grid = serializers.IntegerField(source="small_grid.large_grid_id", read_only=True)
    petitioners = serializers.SerializerMethodField()
    is_repeat = serializers.BooleanField(read_only=True)
    is_group = serializers.BooleanField(read_only=True)
    skip_level = serializers.BooleanField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    handler = StaffRefSerializer(read_only=True)
    proxy_agent = StaffRefSerializer(read_only=True)
    docked_dispute_state = serializers.CharField(source="docked_dispute.state", read_only=True,
                                                 default=None, allow_null=True)

    class Meta:
        model = Petition
        fields = ["id", "number", "form", "kind", "subject", "town", "large_grid", "small_grid",
                  "received_on", "people_count", "state", "handler", "proxy_agent",
                  "accept_due", "reply_due", "overdue", "is_repeat", "repeat_of", "is_group",
                  "skip_level", "docked_dispute", "docked_dispute_state", "petitioners"]

    def get_petitioners(self, obj) -> str:
        return str(petitioners_display(obj, masked=True))


class PetitionDetailSerializer(PetitionListSerializer):
    petitioners = serializers.SerializerMethodField()
    reviews = ReviewSerializer(many=True, read_only=True)
    coordinator = StaffRefSerializer(read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta(PetitionListSerializer.Meta):
        fields = PetitionListSerializer.Meta.fields + [
            "content", "in_litigation", "administrative_matter", "assigned_by_higher",
            "objection_due", "accepted_on",
            "extension_days", "extension_reason", "decline_reason", "proper_channel",
            "guided_to", "coordinator", "county_department", "replied_on", "reply_request",
            "reply_facts", "reply_decision", "reply_basis", "reply_result", "reply_category",
            "reply_draft", "satisfied", "closed_on", "close_reason", "source_dispute",
            "reviews", "available_actions",
        ]

    def get_petitioners(self, obj) -> list[dict] | None:
        """Full details for those who may see them; null for a confidential accusation."""
        if not permissions.can_see_identity(obj, self.context["request"].user):
            return None
        return CasePetitionerSerializer(obj.petitioners.all(), many=True).data

    def get_available_actions(self, obj) -> list[str]:
        from ..actions import ACTIONS

        return [ACTIONS.get(name).route
                for name in ACTIONS.available(obj, self.context["request"].user)]


class PetitionEventSerializer(CaseEventSerializer):
    class Meta(CaseEventSerializer.Meta):
        model = PetitionEvent


class DeclineInput(ExpectedStateInput):
    reason = serializers.CharField()
    proper_channel = serializers.CharField()


class GuideInput(ExpectedStateInput):
    guided_to = serializers.CharField()


class AssignCoordinatorInput(ExpectedStateInput):
    coordinator = ScopedPrimaryKeyRelatedField(
        queryset=Staff.objects.all(), scoped=staff_choices_for_user)
    county_department = serializers.CharField()


class ExtendInput(ExpectedStateInput):
    days = serializers.IntegerField(min_value=1, max_value=30)
    reason = serializers.CharField()
    approver = ScopedPrimaryKeyRelatedField(
        queryset=Staff.objects.all(), scoped=staff_choices_for_user, required=False)


class ReplyInput(ExpectedStateInput):
    request = serializers.CharField()
    facts = serializers.CharField()
    decision = serializers.CharField()
    basis = serializers.CharField()
    result = serializers.ChoiceField(choices=ReplyResult.choices)
    category = serializers.ChoiceField(choices=ThreeInPlaceCategory.choices)


class CloseInput(ExpectedStateInput):
    satisfied = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewInput(ExpectedStateInput):
    """Without ``answered_on``: a review (or re-review) request. With it: the answer."""

    requested_on = serializers.DateField(required=False)
    reviewing_body = serializers.CharField(required=False)
    answered_on = serializers.DateField(required=False)
    opinion = serializers.CharField(required=False)
    upheld = serializers.BooleanField(required=False)

    def validate(self, data):
        if data.get("answered_on"):
            if not data.get("opinion"):
                raise serializers.ValidationError({"opinion": _("请填写复查（复核）意见。")})
        elif not (data.get("requested_on") and data.get("reviewing_body")):
            raise serializers.ValidationError(
                {"requested_on": _("登记申请须填写申请日期和复查（复核）机关。")})
        return data


class DockInput(ExpectedStateInput):
    parties_agree = serializers.BooleanField()
    category = serializers.ChoiceField(choices=DisputeCategory.choices, default="other")
    respondents = PartyInputSerializer(many=True, required=False)


class HigherVisitInput(serializers.Serializer):
    level = serializers.ChoiceField(choices=HigherLevelVisit.Level.choices)
    visited_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
