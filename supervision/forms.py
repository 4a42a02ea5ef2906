from django import forms
from django.utils.translation import gettext_lazy as _

from casework.actions import StateForm
from core.forms import QuickSelect
from disputes.models import RiskLevel
from grid.forms import (
    StaffPickerField,
    StaffPickerSelect,
    bind_grid_options,
    large_grid_filter_field,
)
from grid.models import LargeGrid, Staff
from grid.selectors import (
    large_grid_list_for_user,
    leader_in_charge_candidates,
    responsible_candidates,
    staff_list_for_user,
    with_posts,
)

from .models import NoticeKind, NoticeState, TargetOffice, Urgency

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class NoticeIssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("事由"), max_length=120)
    situation = forms.CharField(label=_("基本情况"), widget=forms.Textarea(attrs={"rows": 3}))
    target_large_grids = forms.ModelMultipleChoiceField(
        label=_("责任村（大网格）"), queryset=LargeGrid.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    target_offices = forms.MultipleChoiceField(label=_("责任单位"), choices=TargetOffice.choices,
                                               required=False,
                                               widget=forms.CheckboxSelectMultiple)
    leader_in_charge = StaffPickerField(
        label=_("定领导：包抓领导"), queryset=Staff.objects.none(),
        help_text=_("镇领导或包片、包村领导；输入姓名、职务或村名的一两个字查找。"))
    measures = forms.CharField(label=_("定措施：工作措施"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = StaffPickerField(
        label=_("定责任：责任人"), queryset=Staff.objects.none(),
        widget=StaffPickerSelect({"data-picker-targets": "target_large_grids target_offices"}),
        help_text=_("列出所选责任村、责任单位的人员；未选时列出本镇在岗人员。"))
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.ORDINARY)
    deadline = forms.DateTimeField(
        label=_("定时限：办结时限"), required=False, widget=DATETIME_INPUT, input_formats=DT_FORMATS,
        help_text=_("不填则按紧急程度：紧急3天（可设1至5天）、一般15天、疑难复杂30天。"))

    def __init__(self, *args, user, town, **kwargs):
        super().__init__(*args, **kwargs)
        visible = staff_list_for_user(user=user).prefetch_related(None)
        self.fields["leader_in_charge"].queryset = with_posts(visible.filter(
            id__in=leader_in_charge_candidates(town_id=town.pk).values("id")))
        self.fields["responsible"].queryset = with_posts(visible.filter(
            id__in=responsible_candidates(town_id=town.pk).values("id")))
        self.fields["target_large_grids"].queryset = large_grid_list_for_user(
            user=user, town_id=town.pk)
        # The four fixes (四定) say which one is missing, as the service does.
        for name, message in (("leader_in_charge", _("四定：必须确定包抓领导。")),
                              ("measures", _("四定：必须确定工作措施。")),
                              ("responsible", _("四定：必须确定责任人。"))):
            self.fields[name].error_messages["required"] = message


class AssessmentForm(forms.Form):
    level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices,
                              widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("评估意见"), widget=forms.Textarea(attrs={"rows": 3}))


class InstabilityReportForm(forms.Form):
    small_grid = forms.ModelChoiceField(label=_("小网格"), queryset=None)
    content = forms.CharField(label=_("不稳定信息"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from grid.selectors import small_grid_list_for_user

        self.fields["small_grid"].queryset = small_grid_list_for_user(user=user)


class ReportForm(StateForm):
    result = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}))
    completed = forms.BooleanField(label=_("已办结"), required=False, initial=True)
    shortfall = forms.CharField(label=_("未能按期办结的，说明进展和原因"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(StateForm):
    facts_checked = forms.BooleanField(label=_("已核实事实"), required=False)
    problem_solved = forms.BooleanField(label=_("问题已解决"), required=False)
    measures_lawful = forms.BooleanField(label=_("措施依法合规"), required=False)
    opinion = forms.CharField(label=_("核验意见"), widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(StateForm):
    opinion = forms.CharField(label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 2}))
    new_deadline = forms.DateTimeField(label=_("新的办结时限"), widget=DATETIME_INPUT,
                                       input_formats=DT_FORMATS)


class TraceConcludeForm(forms.Form):
    finding = forms.CharField(label=_("倒查结论"), widget=forms.Textarea(attrs={"rows": 3}))
    action_taken = forms.CharField(label=_("处理措施"), widget=forms.Textarea(attrs={"rows": 2}))


class NoticeFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), required=False,
                             choices=[("", _("全部"))] + list(NoticeKind.choices),
                             widget=QuickSelect)
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部"))] + list(NoticeState.choices),
                              widget=QuickSelect)
    urgency = forms.ChoiceField(label=_("紧急程度"), required=False,
                                choices=[("", _("全部"))] + list(Urgency.choices),
                                widget=QuickSelect)
    large_grid = large_grid_filter_field(_("责任村"))
    issued_from = forms.DateField(label=_("下发日期自"), required=False, widget=DATE_INPUT)
    issued_to = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)
    overdue = forms.BooleanField(label=_("仅看逾期"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        bind_grid_options(self, user, names=("large_grid",))


