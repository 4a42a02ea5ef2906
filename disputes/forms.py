"""Forms of the dispute pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.actions import StateForm
from core.forms import named_formset
from core.priority import PriorityGroup
from grid.forms import StaffPickerField
from grid.models import Room, SmallGrid, Staff
from grid.selectors import small_grid_list_for_user, with_posts

from .models import Dispute, MediationAgreement, Party
from .states import (
    AvertedRisk,
    ConfirmationResult,
    DisputeState,
    ReferralTarget,
    RespondentConsent,
    RightsNoticeMethod,
    TerminationReason,
)

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SmallGridChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SmallGrid) -> str:
        return f"{obj.large_grid.name} · {obj.name}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        items = [item for item in data if item] if isinstance(data, list | tuple) else (
            [data] if data else [])
        if not items:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [single(item, initial) for item in items]


class DisputeForm(forms.ModelForm):
    small_grid = SmallGridChoiceField(queryset=SmallGrid.objects.none(), label=_("小网格"))
    attachments = MultipleFileField(
        label=_("附件（照片或文档，可多选）"), required=False,
        help_text=_("支持 jpg、png、pdf、doc、docx、xls、xlsx，单个文件不超过 10 MB。"))

    class Meta:
        model = Dispute
        fields = ["small_grid", "title", "category", "source", "description", "found_at",
                  "occurred_at", "people_involved", "amount_at_stake", "risk_level",
                  "risk_civil_to_criminal", "risk_group_incident", "risk_skip_level_petition",
                  "risk_extreme_behaviour", "legal_aid", "respondent_consent",
                  "sender_case_number"]
        widgets = {
            "found_at": DATETIME_INPUT,
            "occurred_at": DATETIME_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        grids = small_grid_list_for_user(user=user)
        self.fields["small_grid"].queryset = grids
        if grids.count() == 1:
            self.fields["small_grid"].initial = grids.first()
        self.fields["found_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["found_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["respondent_consent"].required = False

    def clean_respondent_consent(self):
        return self.cleaned_data.get("respondent_consent") or RespondentConsent.NOT_ASKED


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["name", "role", "gender", "ethnicity", "age", "occupation", "address", "phone",
                  "id_number", "priority_group", "priority_reason"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "id_number": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = [("", _("未填写"))] + [
            c for c in self.fields["gender"].choices if c[0]]


PartyFormSet = named_formset(PartyForm, noun=_("当事人"), extra=1, min_num=1, validate_min=True,
                             max_num=50)


class MediatorPickerField(StaffPickerField):
    """One of the case's mediators (``grid.selectors.mediator_candidates``), picked as you
    type, labelled with name, role, committee and the cases open on their desk. Anyone else
    is refused with what the rule is; the services refuse them too."""

    default_error_messages = {
        "invalid_choice": _("所选人员不是本村或本镇人民调解委员会的调解员，请从列表中选择。"),
    }

    def label_from_instance(self, obj) -> str:
        label = super().label_from_instance(obj)
        if getattr(obj, "open_cases", None) is not None:
            label += _(" · 在办 %(n)s 件") % {"n": obj.open_cases}
        return label


MEDIATOR_HELP = _("本村或本镇调委会的调解员；输入姓名、职务或村名的一两个字查找。")


def mediator_choices(dispute, *, with_chairs: bool = False):
    from .services import eligible_mediators

    return with_posts(eligible_mediators(dispute=dispute, with_chairs=with_chairs))


class EscalateForm(StateForm):
    note = forms.CharField(label=_("已采取的调解措施"), widget=forms.Textarea(attrs={"rows": 3}))
    mediator = MediatorPickerField(queryset=Staff.objects.none(), required=False,
                                   label=_("指定调解员（不选则自动分配最空闲的调解员）"),
                                   help_text=MEDIATOR_HELP)

    def __init__(self, *args, dispute, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute.state == DisputeState.GRID_MEMBER:
            self.fields["mediator"].queryset = mediator_choices(dispute)
        else:
            del self.fields["mediator"]


class ResolveForm(StateForm):
    outcome = forms.CharField(label=_("调解结果"), widget=forms.Textarea(attrs={"rows": 3}))
    written_required = forms.BooleanField(
        label=_("协议涉及当事人权利义务，或当事人要求制作书面协议"), required=False)
    agreement_kind = forms.ChoiceField(
        label=_("协议形式"), required=False,
        choices=[("", _("未达成协议"))] + list(MediationAgreement.Kind.choices))
    facts = forms.CharField(label=_("纠纷主要事实"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    points_in_dispute = forms.CharField(label=_("争议事项"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    terms = forms.CharField(label=_("协议内容（口头协议填写协议要点）"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    responsibilities = forms.CharField(label=_("各方当事人的责任（书面协议必填）"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    performance_method = forms.CharField(label=_("履行方式"), required=False)
    performance_place = forms.CharField(label=_("履行地点"), required=False)
    performance_deadline = forms.DateField(label=_("履行期限"), required=False, widget=DATE_INPUT)
    signed_on = forms.DateField(label=_("签订日期"), required=False, widget=DATE_INPUT)
    mediator = MediatorPickerField(
        queryset=Staff.objects.none(), required=False,
        label=_("签名的人民调解员（不选则为当前承办人）"),
        help_text=_("本村或本镇调委会的调解员或主任；输入姓名、职务或村名的一两个字查找。"),
        error_messages={"invalid_choice": _(
            "签名的须为本村或本镇人民调解委员会的调解员或主任，请从列表中选择。")})
    concerns_personal_status = forms.BooleanField(
        label=_("涉及婚姻、收养或身份关系（不能申请司法确认）"), required=False)
    confirmation_requested = forms.BooleanField(label=_("当事人拟申请司法确认"), required=False)

    def __init__(self, *args, dispute=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is None:
            # The admin's form is built without a case: the handler signs.
            del self.fields["mediator"]
        else:
            self.fields["mediator"].queryset = mediator_choices(dispute, with_chairs=True)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"outcome": data["outcome"], "written_required": data["written_required"],
                "agreement": self.agreement(),
                "averted": {kind.value: data[f"averted_{kind.value}"] for kind in AvertedRisk
                            if data.get(f"averted_{kind.value}")}}

    def agreement(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("agreement_kind"):
            return None
        return {
            "kind": data["agreement_kind"], "facts": data["facts"],
            "points_in_dispute": data["points_in_dispute"], "terms": data["terms"],
            "responsibilities": data["responsibilities"], "mediator": data.get("mediator"),
            "concerns_personal_status": data["concerns_personal_status"],
            "confirmation_requested": data["confirmation_requested"],
            "performance_method": data["performance_method"],
            "performance_place": data["performance_place"],
            "performance_deadline": data["performance_deadline"], "signed_on": data["signed_on"],
        }


# One field per averted risk (the statistics report's prevention figures): the people involved,
# left empty when the risk was not there.
for _kind in AvertedRisk:
    ResolveForm.base_fields[f"averted_{_kind.value}"] = forms.IntegerField(
        label=_("%(risk)s：涉及人数（未涉及不填）") % {"risk": _kind.label}, required=False,
        min_value=1, max_value=100000)
ResolveForm.declared_fields.update(
    {k: v for k, v in ResolveForm.base_fields.items() if k.startswith("averted_")})


class ResolveAdminForm(ResolveForm):
    """The admin's resolve form: the page's without ``seen_state`` (django-fsm's admin re-reads
    the row) and without a mediator choice (the handler signs)."""

    seen_state = None


class ReferForm(StateForm):
    target = forms.ChoiceField(label=_("移交单位"), choices=ReferralTarget.choices)
    receiving_unit = forms.CharField(label=_("接收单位名称（如县人民法院、县人社局）"),
                                     max_length=100, required=False)
    note = forms.CharField(label=_("移交说明"), widget=forms.Textarea(attrs={"rows": 3}))


class TerminateForm(StateForm):
    reason = forms.ChoiceField(label=_("终止调解原因"), choices=TerminationReason.choices)
    note = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}))


class RecordConsentForm(StateForm):
    consent = forms.ChoiceField(label=_("对方当事人是否同意调解"),
                                choices=RespondentConsent.choices)
    note = forms.CharField(label=_("说明"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class NotifyRightsForm(StateForm):
    notified_on = forms.DateField(label=_("告知日期"), widget=DATE_INPUT,
                                  initial=timezone.localdate)
    method = forms.ChoiceField(label=_("告知方式"),
                               choices=RightsNoticeMethod.choices)
    note = forms.CharField(label=_("说明"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(StateForm):
    mediator = MediatorPickerField(queryset=Staff.objects.none(), label=_("新的调解员"),
                                   help_text=MEDIATOR_HELP)
    note = forms.CharField(label=_("当事人的要求（指定或申请回避）"),
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dispute, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediator_choices(dispute)


class ExtendMediationForm(StateForm):
    until = forms.DateField(label=_("新的调解期限"), widget=DATE_INPUT)
    note = forms.CharField(label=_("当事人同意继续调解的情况"),
                           widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmationForm(StateForm):
    applied_on = forms.DateField(label=_("申请日期"), widget=DATE_INPUT)
    court = forms.CharField(label=_("受理法院"), max_length=80)
    case_number = forms.CharField(label=_("法院案号（调确字）"), max_length=60, required=False)
    result = forms.ChoiceField(label=_("结果"), choices=ConfirmationResult.choices)
    decided_on = forms.DateField(label=_("裁定日期"), widget=DATE_INPUT, required=False)


class FollowUpForm(StateForm):
    visited_on = forms.DateField(label=_("回访日期"), widget=DATE_INPUT, initial=timezone.localdate)
    agreement_kept = forms.TypedChoiceField(
        label=_("协议是否履行"), coerce=lambda v: v == "yes",
        choices=[("yes", _("已履行")), ("no", _("未履行"))], widget=forms.RadioSelect)
    note = forms.CharField(label=_("回访情况"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(label=_("调解时间"), widget=DATETIME_INPUT,
                                  input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False,
                                  label=_("调解场所（综治中心功能室）"))
    place = forms.CharField(label=_("其他调解地点"), required=False)
    mediators = forms.ModelMultipleChoiceField(queryset=Staff.objects.none(),
                                               label=_("调解人员"))
    invited = forms.CharField(label=_("邀请参与人员（亲属、邻里、专业人员等，每行一人）"),
                              required=False, widget=forms.Textarea(attrs={"rows": 2}))
    record = forms.CharField(label=_("调解情况记录"), widget=forms.Textarea(attrs={"rows": 4}))
    agreed = forms.CharField(label=_("达成的意见"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dispute, user, **kwargs):
        super().__init__(*args, **kwargs)
        from grid.selectors import staff_list_for_user

        self.fields["room"].queryset = Room.objects.filter(centre__town_id=dispute.town_id)
        self.fields["mediators"].queryset = staff_list_for_user(user=user).prefetch_related(None)
        self.fields["held_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class AttachmentForm(forms.Form):
    files = MultipleFileField(label=_("附件"))


# --- Service units, priority service, referrals that come back -------------------------------

class AssignUnitForm(StateForm):
    unit = forms.ModelChoiceField(queryset=None, required=False,
                                  label=_("服务单位（留空为收回）"))
    note = forms.CharField(label=_("说明"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dispute, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from grid.models import ServiceUnit

        self.fields["unit"].queryset = ServiceUnit.objects.filter(town_id=dispute.town_id)


class MarkPriorityForm(StateForm):
    party = forms.ModelChoiceField(queryset=None, label=_("当事人"))
    group = forms.ChoiceField(label=_("优先服务类别（留空为取消）"), required=False,
                              choices=[("", "—"), *PriorityGroup.choices])
    reason = forms.CharField(label=_("原因（仅承办人员可见）"), max_length=200, required=False)

    def __init__(self, *args, dispute, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = dispute.parties.order_by("id")


class ReferralResultForm(StateForm):
    result = forms.CharField(label=_("接收单位的办理结果"),
                             widget=forms.Textarea(attrs={"rows": 3}))
