"""Forms of the petition pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.actions import StateForm
from core.forms import QuickSelect, named_formset
from disputes.forms import SmallGridChoiceField
from disputes.models import DisputeCategory
from grid.forms import GridFilterForm, StaffPickerField
from grid.models import SmallGrid, Staff
from grid.selectors import (
    small_grid_list_for_user,
    staff_for_user,
    staff_list_for_user,
    staff_of_town,
    town_cadres,
    with_posts,
)

from . import permissions
from .models import (
    DeliveryMethod,
    Evaluation,
    HigherLevelVisit,
    Petition,
    Petitioner,
    PetitionForm,
    PetitionKind,
    PetitionState,
    ReplyResult,
    ThreeInPlaceCategory,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PetitionRegisterForm(forms.ModelForm):
    small_grid = SmallGridChoiceField(queryset=SmallGrid.objects.none(), label=_("小网格"))

    class Meta:
        model = Petition
        fields = ["small_grid", "form", "kind", "subject", "content", "received_on",
                  "people_count", "assigned_by_higher", "in_litigation",
                  "administrative_matter", "national_number"]
        widgets = {"received_on": DATE_INPUT, "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        grids = small_grid_list_for_user(user=user)
        self.fields["small_grid"].queryset = grids
        if grids.count() == 1:
            self.fields["small_grid"].initial = grids.first()
        self.fields["received_on"].initial = timezone.localdate()


class PetitionerForm(forms.ModelForm):
    class Meta:
        model = Petitioner
        fields = ["name", "is_representative", "gender", "ethnicity", "age", "occupation",
                  "address", "phone", "id_number"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "id_number": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = [("", _("未填写"))] + [
            c for c in self.fields["gender"].choices if c[0]]


PetitionerFormSet = named_formset(PetitionerForm, noun=_("信访人"), extra=1, min_num=1,
                                  validate_min=True, max_num=60)


class DeclineForm(StateForm):
    reason = forms.CharField(label=_("不予受理的理由"), widget=forms.Textarea(attrs={"rows": 2}))
    proper_channel = forms.CharField(label=_("告知应当通过的途径"),
                                     help_text=_("例如：已进入诉讼程序的，向人民法院提出。"))


class GuideForm(StateForm):
    guided_to = forms.CharField(label=_("导访去向"))


def coordinator_choices(petition, user):
    """Town cadres who may coordinate with a county department: staff holding a town-level
    role (offices, leadership) or the town committee's, as the service requires; with their
    posts for the picker's "role · place"."""
    return with_posts(staff_list_for_user(user=user).prefetch_related(None)
                      .filter(id__in=town_cadres(town_id=petition.town_id)).order_by("name"))


class CoordinatorPickerField(StaffPickerField):
    """A county matter's coordinator (镇级专人), picked as you type."""

    default_error_messages = {
        "invalid_choice": _("镇级专人须为本镇干部（镇领导、镇直站所或镇调委会人员），请从列表中选择。"),
    }


COORDINATOR_HELP = _("镇领导、镇直站所或镇调委会人员；输入姓名、职务的一两个字查找。")


class EscalateForm(StateForm):
    note = forms.CharField(label=_("上交原因"), widget=forms.Textarea(attrs={"rows": 2}))
    coordinator = CoordinatorPickerField(queryset=Staff.objects.none(), required=False,
                                         label=_("镇级专人（上交县直部门时必填）"),
                                         help_text=COORDINATOR_HELP)
    county_department = forms.CharField(label=_("涉及县直部门"), required=False)

    def __init__(self, *args, petition, user, **kwargs):
        super().__init__(*args, **kwargs)
        if (petition.state == PetitionState.TOWN
                and permissions.can_assign_coordinator(petition, user)):
            self.fields["coordinator"].queryset = coordinator_choices(petition, user)
            self.fields["coordinator"].initial = petition.coordinator_id
            self.fields["county_department"].initial = petition.county_department
        else:
            del self.fields["coordinator"]
            del self.fields["county_department"]


class AssignCoordinatorForm(StateForm):
    coordinator = CoordinatorPickerField(queryset=Staff.objects.none(), label=_("镇级专人"),
                                         help_text=COORDINATOR_HELP)
    county_department = forms.CharField(label=_("涉及县直部门"))

    def __init__(self, *args, petition, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinator_choices(petition, user)


class RequestExtensionForm(StateForm):
    days = forms.IntegerField(label=_("申请延长天数"), min_value=1, max_value=30, initial=30)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class TransferDisciplineForm(StateForm):
    organ = forms.CharField(label=_("移送的纪检监察机关"), initial=_("崇信县纪委监委"))
    transferred_on = forms.DateField(label=_("移送日期"), widget=DATE_INPUT,
                                     initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), required=False)


class DeliverForm(StateForm):
    delivered_on = forms.DateField(label=_("送达日期"), widget=DATE_INPUT,
                                   initial=timezone.localdate)
    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices)


class EvaluateForm(StateForm):
    evaluation = forms.ChoiceField(label=_("信访人评价"), choices=Evaluation.choices,
                                   widget=forms.RadioSelect)
    comment = forms.CharField(label=_("评价意见"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class NationalNumberForm(StateForm):
    national_number = forms.CharField(label=_("国家信访信息系统编号"), max_length=40)


class RecuseForm(StateForm):
    """Recusal (信访工作条例 第二十八条): oneself by default; the office may name anyone."""

    staff = StaffPickerField(queryset=Staff.objects.none(), label=_("回避人员"))
    reason = forms.CharField(label=_("回避事由"), widget=forms.Textarea(attrs={"rows": 2}))
    replacement = StaffPickerField(
        queryset=Staff.objects.none(), required=False,
        label=_("改由（回避人员正在承办或代办时必填）"),
        error_messages={"invalid_choice": _("改由的人员须为本镇工作人员，请从列表中选择。")})

    def __init__(self, *args, petition, user, **kwargs):
        super().__init__(*args, **kwargs)
        town_staff = with_posts(staff_of_town(town_id=petition.town_id).order_by("name"))
        own = staff_for_user(user=user)
        if permissions.is_office(user, petition):
            self.fields["staff"].queryset = town_staff
        else:
            self.fields["staff"].queryset = town_staff.filter(pk=own.pk if own else None)
        self.fields["staff"].initial = own.pk if own else None
        self.fields["replacement"].queryset = town_staff


class HearingForm(StateForm):
    held_on = forms.DateField(label=_("听证日期"), widget=DATE_INPUT, initial=timezone.localdate)
    days = forms.IntegerField(label=_("听证所需天数（不计入复核期限）"), min_value=1, max_value=30,
                              initial=1)
    place = forms.CharField(label=_("听证地点"))
    participants = forms.CharField(label=_("参加人员"), widget=forms.Textarea(attrs={"rows": 2}))
    record = forms.CharField(label=_("听证记录"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(StateForm):
    request = forms.CharField(label=_("信访请求"), widget=forms.Textarea(attrs={"rows": 2}))
    facts = forms.CharField(label=_("查明的事实和理由"), widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.CharField(label=_("依据"), widget=forms.Textarea(attrs={"rows": 2}))
    result = forms.ChoiceField(label=_("处理结果"), choices=ReplyResult.choices)
    category = forms.ChoiceField(label=_("“三到位一处理”类别"),
                                 choices=ThreeInPlaceCategory.choices)


class CloseForm(StateForm):
    satisfied = forms.TypedChoiceField(
        label=_("信访人是否满意"), coerce=lambda v: {"yes": True, "no": False}.get(v),
        choices=[("yes", _("满意")), ("no", _("不满意或未表态（复查期限届满后办结）"))],
        widget=forms.RadioSelect)
    note = forms.CharField(label=_("说明"), required=False)


class ReviewForm(StateForm):
    requested_on = forms.DateField(label=_("申请日期"), widget=DATE_INPUT, initial=timezone.localdate)
    reviewing_body = forms.CharField(label=_("复查（复核）机关"), initial=_("崇信县人民政府"))


class ReviewAnswerForm(StateForm):
    answered_on = forms.DateField(label=_("答复日期"), widget=DATE_INPUT, initial=timezone.localdate)
    opinion = forms.CharField(label=_("复查（复核）意见"), widget=forms.Textarea(attrs={"rows": 2}))
    upheld = forms.TypedChoiceField(label=_("结论"), coerce=lambda v: v == "yes",
                                    choices=[("yes", _("维持原处理意见")), ("no", _("撤销或变更"))])


class DockForm(StateForm):
    parties_agree = forms.BooleanField(label=_("双方当事人同意人民调解"), required=False)
    category = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeCategory.choices)
    respondent_name = forms.CharField(label=_("被申请人姓名或名称"), required=False)
    respondent_phone = forms.CharField(label=_("被申请人联系电话"), required=False)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        respondents = ([{"name": data["respondent_name"], "phone": data["respondent_phone"]}]
                       if data.get("respondent_name") else [])
        return {"parties_agree": data["parties_agree"], "category": data["category"],
                "respondents": respondents}


class HigherVisitForm(forms.Form):
    level = forms.ChoiceField(label=_("层级"), choices=HigherLevelVisit.Level.choices)
    visited_on = forms.DateField(label=_("日期"), widget=DATE_INPUT, initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), required=False)


class PetitionLedgerFilterForm(GridFilterForm):
    field_order = ["received_from", "received_to"]  # then the grids, then the rest

    received_from = forms.DateField(label=_("收到日期自"), required=False, widget=DATE_INPUT)
    received_to = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("信访类别"), required=False,
                             choices=[("", _("全部"))] + list(PetitionKind.choices),
                             widget=QuickSelect)
    form = forms.ChoiceField(label=_("信访形式"), required=False,
                             choices=[("", _("全部"))] + list(PetitionForm.choices),
                             widget=QuickSelect)
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部"))] + list(PetitionState.choices),
                              widget=QuickSelect)
    overdue = forms.BooleanField(label=_("仅看超期"), required=False)
    repeat = forms.BooleanField(label=_("仅看重复访"), required=False)
    group = forms.BooleanField(label=_("仅看集体访"), required=False)
    skip_level = forms.BooleanField(label=_("仅看越级访"), required=False)
    undelivered = forms.BooleanField(label=_("仅看答复未送达"), required=False)
    q = forms.CharField(label=_("编号、查询码或事项"), required=False)

    def clean(self):
        data = super().clean()
        if (data.get("received_from") and data.get("received_to")
                and data["received_from"] > data["received_to"]):
            self.add_error("received_to", _("结束日期不能早于开始日期。"))
        return data
