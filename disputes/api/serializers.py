"""Dispute API serializers: input serializers validate, services decide, output serializers
render. Phone and ID numbers are masked in lists and full only on the case itself."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.api import CaseEventSerializer, ExpectedStateInput, StaffRefSerializer
from core.api.fields import ScopedPrimaryKeyRelatedField
from core.api.flat import FlatRows
from core.masking import mask_id_number, mask_name, mask_phone
from core.priority import PriorityGroup
from grid.models import ServiceUnit, SmallGrid, Staff
from grid.selectors import (
    small_grid_choices_for_user,
    staff_choices_for_user,
    unit_choices_for_user,
)

from ..models import (
    AvertedRisk,
    ConfirmationResult,
    Dispute,
    DisputeCategory,
    DisputeEvent,
    DisputeSource,
    JudicialConfirmation,
    MediationAgreement,
    Party,
    PoliceReport,
    ReferralTarget,
    RespondentConsent,
    RightsNoticeMethod,
    RiskLevel,
    TerminationReason,
)
from ..selectors import party_choices_for_user


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
    priority_group = serializers.ChoiceField(choices=PriorityGroup.choices, required=False,
                                             allow_blank=True,
                                             help_text=_("优先服务类别（弱势群体、贫困户、应援对象）"))
    priority_reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


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
    respondent_consent = serializers.ChoiceField(
        choices=RespondentConsent.choices, default=RespondentConsent.NOT_ASKED,
        help_text=_("对方当事人是否同意调解（人民调解法第十七条）"))
    sender_case_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True,
        help_text=_("法院委托调解或公安移交案件的原案号"))
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


class MaskedPartySerializer(FlatRows, serializers.ModelSerializer):
    """A list's party: name masked; the phone and ID number as the masks kept beside their
    cipher text (core.fields), so a list decrypts nothing."""

    name = serializers.SerializerMethodField()
    phone = serializers.CharField(source="phone_masked", read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)

    # The columns it reads (a list loads only these).
    COLUMNS = ("id", "dispute_id", "name", "role", "phone_masked", "id_number_masked")

    class Meta:
        model = Party
        fields = ["id", "name", "role", "phone", "id_number"]

    def get_name(self, obj) -> str:
        return mask_name(obj.name)


class DisputeRowSerializer(serializers.ModelSerializer):
    """A case's row: the list's fields, which the case itself extends."""

    state = serializers.ChoiceField(choices=Dispute._meta.get_field("state").choices,
                                    read_only=True)
    handler = StaffRefSerializer(read_only=True, allow_null=True)
    large_grid = serializers.IntegerField(source="small_grid.large_grid_id", read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    # The list reads them into ``listed_parties`` (disputes.api.views.DisputeViewSet).
    parties = MaskedPartySerializer(many=True, read_only=True, source="listed_parties")

    # The columns it reads (the list loads only these: no handler's phone decrypted a row).
    COLUMNS = ("id", "number", "title", "category", "source", "town_id", "small_grid_id",
               "small_grid__large_grid_id", "found_at", "risk_level", "state", "handler__id",
               "handler__name", "tier_due_at", "mediation_due", "resolved_tier", "referred_to",
               "termination_reason", "legal_aid", "evaluation")

    class Meta:
        model = Dispute
        fields = ["id", "number", "title", "category", "source", "town", "large_grid",
                  "small_grid", "found_at", "risk_level", "state", "handler", "tier_due_at",
                  "overdue", "mediation_due", "resolved_tier", "referred_to",
                  "termination_reason", "legal_aid", "evaluation", "parties"]


class DisputeListSerializer(FlatRows, DisputeRowSerializer):
    """The ledger's rows, written by steps built once (``core.api.flat``)."""

    # The list reads its village's id and its handler as values of the case's row, not as
    # the small grid's and the handler's instances (``disputes.api.views.DisputeViewSet``):
    # the same JSON.
    large_grid = serializers.IntegerField(source="row_large_grid_id", read_only=True)
    handler = StaffRefSerializer(read_only=True, allow_null=True, source="listed_handler")

    # The case's own columns it reads; the village's id and the handler's name are
    # ``LISTED_NAMES``.
    COLUMNS = tuple(c for c in DisputeRowSerializer.COLUMNS
                    if c not in ("small_grid__large_grid_id", "handler__id", "handler__name")
                    ) + ("handler",)
    LISTED_NAMES = {"row_large_grid_id": "small_grid__large_grid_id",
                    "row_handler_name": "handler__name"}

    class Meta(DisputeRowSerializer.Meta):
        pass


class JudicialConfirmationSerializer(serializers.ModelSerializer):
    class Meta:
        model = JudicialConfirmation
        fields = ["applied_on", "court", "case_number", "result", "decided_on"]


class AgreementSerializer(serializers.ModelSerializer):
    confirmation = JudicialConfirmationSerializer(read_only=True, allow_null=True)
    judicial_confirmation_until = serializers.SerializerMethodField()

    class Meta:
        model = MediationAgreement
        fields = ["kind", "facts", "points_in_dispute", "terms", "responsibilities",
                  "performance_method", "performance_place", "performance_deadline",
                  "signed_on", "mediator", "committee", "concerns_personal_status",
                  "confirmation_requested", "judicial_confirmation_until", "confirmation"]

    def get_judicial_confirmation_until(self, obj) -> str | None:
        """The last day to apply, or null when the agreement cannot be confirmed."""
        from ..deadlines import judicial_confirmation_until

        until = judicial_confirmation_until(obj.signed_on) if obj.confirmable else None
        return until.isoformat() if until else None


class PoliceReportSerializer(serializers.ModelSerializer):
    acknowledged_by = StaffRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PoliceReport
        fields = ["id", "reported_at", "note", "acknowledged_at", "acknowledged_by",
                  "acknowledgement"]


class DisputeDetailSerializer(DisputeRowSerializer):
    parties = CasePartySerializer(many=True, read_only=True)
    agreement = AgreementSerializer(read_only=True)
    police_reports = PoliceReportSerializer(many=True, read_only=True)
    unit = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True,
                                              help_text=_("承办的服务单位（法律服务所、“五老”工作室）"))
    available_actions = serializers.SerializerMethodField()

    class Meta(DisputeRowSerializer.Meta):
        fields = DisputeRowSerializer.Meta.fields + [
            "description", "occurred_at", "people_involved", "amount_at_stake",
            "risk_civil_to_criminal", "risk_group_incident", "risk_skip_level_petition",
            "risk_extreme_behaviour", "urgent", "outcome", "resolved_at", "referred_at",
            "closed_at", "ended_reason", "last_followup_kept", "agreement", "available_actions",
            "created_at", "respondent_consent", "terminated_at", "rights_notified_on",
            "rights_notice_method", "police_reports", "query_code", "evaluation_comment",
            "evaluated_on", "unit", "priority", "sender_case_number", "reported_back_at",
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
    responsibilities = serializers.CharField(required=False, allow_blank=True, default="",
                                             help_text=_("各方当事人的责任（书面协议必填）"))
    performance_method = serializers.CharField(required=False, allow_blank=True, default="")
    performance_place = serializers.CharField(required=False, allow_blank=True, default="")
    performance_deadline = serializers.DateField(required=False, allow_null=True)
    signed_on = serializers.DateField()
    mediator = ScopedPrimaryKeyRelatedField(
        queryset=Staff.objects.all(), scoped=staff_choices_for_user, required=False,
        allow_null=True, help_text=_("签名的人民调解员：须为本村或本镇调委会的调解员或主任"))
    concerns_personal_status = serializers.BooleanField(
        default=False, help_text=_("涉及婚姻、收养或身份关系（不能申请司法确认）"))
    confirmation_requested = serializers.BooleanField(default=False)


class AvertedRiskInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AvertedRisk.choices)
    people = serializers.IntegerField(min_value=1, max_value=100000, help_text=_("涉及人数"))


class ResolveInputSerializer(ExpectedStateInput):
    note = serializers.CharField(help_text=_("调解结果"))
    written_required = serializers.BooleanField(
        default=False, help_text=_("涉及权利义务或当事人要求书面协议"))
    agreement = AgreementInputSerializer(required=False, allow_null=True)
    averted = AvertedRiskInputSerializer(
        many=True, required=False, help_text=_("调解防止的风险及涉及人数（统计报表的防止数）"))

    def validate_averted(self, value):
        kinds = [item["kind"] for item in value]
        if len(set(kinds)) != len(kinds):
            raise serializers.ValidationError(_("每种风险只填一次。"))
        return {item["kind"]: item["people"] for item in value}


class ReferInputSerializer(ExpectedStateInput):
    target = serializers.ChoiceField(choices=ReferralTarget.choices)
    receiving_unit = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                           help_text=_("接收单位名称"))
    note = serializers.CharField()


class TerminateInputSerializer(ExpectedStateInput):
    reason = serializers.ChoiceField(choices=TerminationReason.choices)
    note = serializers.CharField(help_text=_("终止调解的情况说明"))


class RecordConsentInputSerializer(ExpectedStateInput):
    consent = serializers.ChoiceField(choices=RespondentConsent.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NotifyRightsInputSerializer(ExpectedStateInput):
    notified_on = serializers.DateField()
    method = serializers.ChoiceField(choices=RightsNoticeMethod.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReassignInputSerializer(ExpectedStateInput):
    mediator = ScopedPrimaryKeyRelatedField(queryset=Staff.objects.all(),
                                            scoped=staff_choices_for_user)
    note = serializers.CharField(help_text=_("当事人的要求（指定或申请回避）"))


class ExtendMediationInputSerializer(ExpectedStateInput):
    until = serializers.DateField(help_text=_("新的调解期限"))
    note = serializers.CharField(help_text=_("当事人同意继续调解的情况"))


class ConfirmationInputSerializer(ExpectedStateInput):
    applied_on = serializers.DateField()
    court = serializers.CharField(max_length=80)
    case_number = serializers.CharField(max_length=60, required=False, allow_blank=True,
                                        default="")
    result = serializers.ChoiceField(choices=ConfirmationResult.choices,
                                     default=ConfirmationResult.PENDING)
    decided_on = serializers.DateField(required=False, allow_null=True)


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
    terminated = serializers.IntegerField()
    open = serializers.IntegerField()
    total = serializers.IntegerField()


# --- Service units, priority service, referrals that come back -------------------------------

class AssignUnitInputSerializer(ExpectedStateInput):
    unit = ScopedPrimaryKeyRelatedField(queryset=ServiceUnit.objects.all(),
                                        scoped=unit_choices_for_user, allow_null=True,
                                        help_text=_("服务单位；null 为收回"))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MarkPriorityInputSerializer(ExpectedStateInput):
    party = ScopedPrimaryKeyRelatedField(queryset=Party.objects.all(),
                                         scoped=party_choices_for_user)
    group = serializers.ChoiceField(choices=PriorityGroup.choices, allow_blank=True,
                                    help_text=_("优先服务类别；空为取消"))
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReferralResultInputSerializer(ExpectedStateInput):
    result = serializers.CharField(help_text=_("接收单位的办理结果"))
