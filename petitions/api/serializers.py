"""Petition API serializers. Accusations never show who filed them, except to the petition
office and town leadership; lists always mask personal data."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.api import CaseEventSerializer, ExpectedStateInput, StaffRefSerializer
from core.api.fields import ScopedPrimaryKeyRelatedField
from core.api.flat import FlatRows
from core.masking import mask_id_number, mask_phone
from disputes.api.serializers import PartyInputSerializer
from disputes.models import DisputeCategory
from grid.models import SmallGrid, Staff
from grid.selectors import small_grid_choices_for_user, staff_choices_for_user

from .. import permissions
from ..exports import petitioners_display
from ..models import (
    DeliveryMethod,
    Evaluation,
    HigherLevelVisit,
    Petition,
    Petitioner,
    PetitionEvent,
    PetitionForm,
    PetitionKind,
    PetitionRecusal,
    PetitionReview,
    ReplyResult,
    ReviewHearing,
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
    national_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    petitioners = PetitionerInputSerializer(many=True, allow_empty=False)


class PetitionerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Petitioner
        fields = ["id", "name", "is_representative", "gender", "ethnicity", "age", "occupation",
                  "address", "phone", "id_number"]


class HearingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewHearing
        fields = ["held_on", "days", "place", "participants", "record"]


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
    hearings = HearingSerializer(many=True, read_only=True)

    class Meta:
        model = PetitionReview
        fields = ["kind", "requested_on", "due_on", "reviewing_body", "answered_on", "opinion",
                  "upheld", "hearings"]


class RecusalSerializer(serializers.ModelSerializer):
    staff = StaffRefSerializer(read_only=True, allow_null=True)
    replaced_by = StaffRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PetitionRecusal
        fields = ["staff", "reason", "replaced_by", "recorded_at"]


class PetitionRowSerializer(serializers.ModelSerializer):
    """A petition's row: the list's fields, which the petition itself extends."""

    state = serializers.ChoiceField(choices=Petition._meta.get_field("state").choices,
                                    read_only=True)
    large_grid = serializers.IntegerField(source="small_grid.large_grid_id", read_only=True)
    petitioners = serializers.SerializerMethodField()
    is_repeat = serializers.BooleanField(read_only=True)
    is_group = serializers.BooleanField(read_only=True)
    skip_level = serializers.BooleanField(read_only=True)
    repeat_to_higher = serializers.BooleanField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    undelivered = serializers.BooleanField(source="is_undelivered", read_only=True)
    handler = StaffRefSerializer(read_only=True, allow_null=True)
    proxy_agent = StaffRefSerializer(read_only=True, allow_null=True)
    docked_dispute_state = serializers.CharField(source="docked_dispute.state", read_only=True,
                                                 default=None, allow_null=True)

    class Meta:
        model = Petition
        fields = ["id", "number", "national_number", "query_code", "form", "kind", "subject",
                  "town", "large_grid", "small_grid", "received_on", "people_count", "state",
                  "handler", "proxy_agent", "accept_due", "reply_due", "overdue", "is_repeat",
                  "repeat_of", "is_group", "skip_level", "repeat_to_higher", "undelivered",
                  "evaluation", "docked_dispute", "docked_dispute_state", "petitioners"]

    def get_petitioners(self, obj) -> str:
        return str(petitioners_display(obj, masked=True))


class PetitionListSerializer(FlatRows, PetitionRowSerializer):
    """The ledger's rows, written by steps built once (``core.api.flat``)."""

    class Meta(PetitionRowSerializer.Meta):
        pass


class PetitionDetailSerializer(PetitionRowSerializer):
    petitioners = serializers.SerializerMethodField()
    reviews = ReviewSerializer(many=True, read_only=True)
    recusals = RecusalSerializer(many=True, read_only=True)
    coordinator = StaffRefSerializer(read_only=True, allow_null=True)
    extension_approver = StaffRefSerializer(read_only=True, allow_null=True)
    available_actions = serializers.SerializerMethodField()

    class Meta(PetitionRowSerializer.Meta):
        fields = PetitionRowSerializer.Meta.fields + [
            "content", "in_litigation", "administrative_matter", "assigned_by_higher",
            "objection_due", "accepted_on",
            "extension_days", "extension_reason", "extension_approver", "extension_status",
            "extension_requested_days", "extension_requested_reason", "extension_requested_on",
            "extension_refusal", "decline_reason", "proper_channel",
            "guided_to", "coordinator", "county_department", "replied_on", "reply_request",
            "reply_facts", "reply_decision", "reply_basis", "reply_result", "reply_category",
            "reply_draft", "delivered_on", "delivery_method", "satisfied",
            "evaluation_comment", "evaluated_on", "discipline_organ", "transferred_on",
            "closed_on", "close_reason", "source_dispute", "reviews", "recusals",
            "available_actions",
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


class RequestExtensionInput(ExpectedStateInput):
    """Ask the town leadership for an extension (信访工作条例 第三十四条)."""

    days = serializers.IntegerField(min_value=1, max_value=30)
    reason = serializers.CharField()


class TransferDisciplineInput(ExpectedStateInput):
    """An accusation to the discipline-inspection organ (信访工作条例 第二十二条)."""

    organ = serializers.CharField(max_length=120)
    transferred_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DeliverInput(ExpectedStateInput):
    """When and how the written reply reached the petitioner (信访工作条例 第三十五条)."""

    delivered_on = serializers.DateField()
    method = serializers.ChoiceField(choices=DeliveryMethod.choices)


class EvaluateInput(ExpectedStateInput):
    """The petitioner's evaluation, once, after the reply (信访工作条例 第二十一条)."""

    evaluation = serializers.ChoiceField(choices=Evaluation.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class NationalNumberInput(ExpectedStateInput):
    national_number = serializers.CharField(max_length=40)


class RecuseInput(ExpectedStateInput):
    """Recusal of a staff member with a direct interest (信访工作条例 第二十八条): without
    ``staff``, the caller's own."""

    staff = ScopedPrimaryKeyRelatedField(queryset=Staff.objects.all(),
                                         scoped=staff_choices_for_user, required=False)
    reason = serializers.CharField()
    replacement = ScopedPrimaryKeyRelatedField(queryset=Staff.objects.all(),
                                               scoped=staff_choices_for_user, required=False)


class HearingInput(ExpectedStateInput):
    """A re-review hearing; its days do not count toward the 30 (信访工作条例 第三十六条)."""

    held_on = serializers.DateField()
    days = serializers.IntegerField(min_value=1, max_value=30, default=1)
    place = serializers.CharField()
    participants = serializers.CharField()
    record = serializers.CharField()


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
