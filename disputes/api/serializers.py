"""Dispute API serializers: input serializers validate, services decide, output serializers
render. Phone and ID numbers are masked in lists and full only on the case itself."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.api import CaseEventSerializer, ExpectedStateInput, StaffRefSerializer
from core.api.fields import ScopedPrimaryKeyRelatedField
from core.masking import mask_id_number, mask_name, mask_phone
from grid.models import SmallGrid, Staff
from grid.selectors import small_grid_choices_for_user, staff_choices_for_user

from ..models import (
    Dispute,
    DisputeCategory,
    DisputeEvent,
    DisputeSource,
    MediationAgreement,
    Party,
    ReferralTarget,
    RiskLevel,
)


class PartyInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    role = serializers.ChoiceField(choices=Party.PartyRole.choices,
                                   default=Party.PartyRole.APPLICANT)
    gender = serializers.ChoiceField(choices=Party.Gender.choices, required=False,
                                     allow_blank=True)
    ethnicity = serializers.CharField(max_length=20, required=False, allow_blank=True)
    age = serializers.IntegerField(min_value=0, max_value=130, required=False, allow_null=True)
    occupation = serializers.CharField(max_length=50, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=11, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)


class DisputeInputSerializer(serializers.Serializer):
    small_grid = ScopedPrimaryKeyRelatedField(queryset=SmallGrid.objects.all(),
                                              scoped=small_grid_choices_for_user)
    title = serializers.CharField(max_length=120)
    description = serializers.CharField()
    category = serializers.ChoiceField(choices=DisputeCategory.choices)
    source = serializers.ChoiceField(choices=DisputeSource.choices, default="screening")
    found_at = serializers.DateTimeField(required=False)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    people_involved = serializers.IntegerField(min_value=1, default=2)
    amount_at_stake = serializers.DecimalField(max_digits=14, decimal_places=2, required=False,
                                               allow_null=True, min_value=0)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.BLUE)
    risk_civil_to_criminal = serializers.BooleanField(default=False)
    risk_group_incident = serializers.BooleanField(default=False)
    risk_skip_level_petition = serializers.BooleanField(default=False)
    risk_extreme_behaviour = serializers.BooleanField(default=False)
    legal_aid = serializers.BooleanField(default=False)
    parties = PartyInputSerializer(many=True, allow_empty=False)


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "name", "role", "gender", "ethnicity", "age", "occupation", "address",
                  "phone", "id_number"]


class CasePartySerializer(PartySerializer):
    """A case's parties with phone and ID number masked: the full values only through the
    recorded ``personal-data`` request."""

    phone = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.id_number)


class MaskedPartySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["id", "name", "role", "phone", "id_number"]

    def get_name(self, obj) -> str:
        return mask_name(obj.name)

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.id_number)


class DisputeListSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=Dispute._meta.get_field("state").choices,
                                    read_only=True)
    handler = StaffRefSerializer(read_only=True)
    large_grid = serializers.IntegerField(source="small_grid.large_grid_id", read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    parties = MaskedPartySerializer(many=True, read_only=True)

    class Meta:
        model = Dispute
        fields = ["id", "number", "title", "category", "source", "town", "large_grid",
                  "small_grid", "found_at", "risk_level", "state", "handler", "tier_due_at",
                  "overdue", "resolved_tier", "referred_to", "legal_aid", "parties"]


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationAgreement
        fields = ["kind", "facts", "points_in_dispute", "terms", "performance_method",
                  "performance_place", "performance_deadline", "signed_on", "mediator"]


class DisputeDetailSerializer(DisputeListSerializer):
    parties = CasePartySerializer(many=True, read_only=True)
    agreement = AgreementSerializer(read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta(DisputeListSerializer.Meta):
        fields = DisputeListSerializer.Meta.fields + [
            "description", "occurred_at", "people_involved", "amount_at_stake",
            "risk_civil_to_criminal", "risk_group_incident", "risk_skip_level_petition",
            "risk_extreme_behaviour", "urgent", "outcome", "resolved_at", "referred_at",
            "closed_at", "ended_reason", "last_followup_kept", "agreement", "available_actions",
            "created_at",
        ]

    def get_available_actions(self, obj) -> list[str]:
        from ..actions import ACTIONS

        return [ACTIONS.get(name).route
                for name in ACTIONS.available(obj, self.context["request"].user)]


class DisputeEventSerializer(CaseEventSerializer):
    class Meta(CaseEventSerializer.Meta):
        model = DisputeEvent


# --- Transition inputs ---------------------------------------------------------------------

class EscalateInputSerializer(ExpectedStateInput):
    note = serializers.CharField(help_text=_("已采取的调解措施"))
    mediator = ScopedPrimaryKeyRelatedField(
        queryset=Staff.objects.all(), scoped=staff_choices_for_user, required=False,
        allow_null=True)


class AgreementInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MediationAgreement.Kind.choices)
    facts = serializers.CharField(required=False, allow_blank=True, default="")
    points_in_dispute = serializers.CharField(required=False, allow_blank=True, default="")
    terms = serializers.CharField()
    performance_method = serializers.CharField(required=False, allow_blank=True, default="")
    performance_place = serializers.CharField(required=False, allow_blank=True, default="")
    performance_deadline = serializers.DateField(required=False, allow_null=True)
    signed_on = serializers.DateField()
    mediator = ScopedPrimaryKeyRelatedField(
        queryset=Staff.objects.all(), scoped=staff_choices_for_user, required=False,
        allow_null=True)


class ResolveInputSerializer(ExpectedStateInput):
    note = serializers.CharField(help_text=_("调解结果"))
    written_required = serializers.BooleanField(
        default=False, help_text=_("涉及权利义务或当事人要求书面协议"))
    agreement = AgreementInputSerializer(required=False, allow_null=True)


class ReferInputSerializer(ExpectedStateInput):
    target = serializers.ChoiceField(choices=ReferralTarget.choices)
    note = serializers.CharField()


class FollowUpInputSerializer(ExpectedStateInput):
    visited_on = serializers.DateField()
    agreement_kept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    visitor = ScopedPrimaryKeyRelatedField(
        queryset=Staff.objects.all(), scoped=staff_choices_for_user, required=False)


class FengqiaoTierSerializer(serializers.Serializer):
    tier = serializers.CharField()
    label = serializers.CharField()
    resolved = serializers.IntegerField()


class FengqiaoSerializer(serializers.Serializer):
    tiers = FengqiaoTierSerializer(many=True)
    resolved = serializers.IntegerField()
    referred = serializers.IntegerField()
    open = serializers.IntegerField()
    total = serializers.IntegerField()
