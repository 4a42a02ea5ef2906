"""Forms of the legal-aid pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.actions import StateForm
from core.forms import QuickSelect
from core.priority import PriorityGroup
from grid.models import LargeGrid, ServiceUnit, SmallGrid, Staff
from grid.scope import filter_units
from grid.selectors import small_grid_list_for_user, staff_of_town

from .models import Consultation, LegalAidMatter, PublicityEvent
from .states import Exemption, HardshipCheck, LegalAidState, ProviderKind, TerminationGround

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LegalAidMatterForm(forms.ModelForm):
    class Meta:
        model = LegalAidMatter
        fields = ["small_grid", "name", "gender", "age", "address", "phone", "id_number",
                  "applicant_group", "priority_reason", "matter_kind", "matter", "applied_on",
                  "unit"]
        widgets = {"applied_on": DATE_INPUT, "matter": forms.Textarea(attrs={"rows": 3}),
                   "phone": forms.TextInput(attrs={"inputmode": "numeric",
                                                   "autocomplete": "off"}),
                   "id_number": forms.TextInput(attrs={"autocomplete": "off"})}
        labels = {"name": _("申请人姓名"), "small_grid": _("申请人所在网格")}

    def __init__(self, *args, user, town_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        grids = small_grid_list_for_user(user=user)
        units = filter_units(ServiceUnit.objects.all(), user)
        if town_id is not None:
            grids = SmallGrid.objects.filter(large_grid__town_id=town_id).select_related(
                "large_grid")
            units = units.filter(town_id=town_id)
        self.fields["small_grid"].queryset = grids
        self.fields["unit"].queryset = units.filter(kind=ServiceUnit.Kind.LEGAL_SERVICE_OFFICE)
        self.fields["applied_on"].initial = timezone.localdate


class MatterFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部")), *LegalAidState.choices],
                              widget=QuickSelect)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    priority = forms.BooleanField(label=_("仅看优先服务对象"), required=False)


class CheckHardshipForm(StateForm):
    hardship = forms.ChoiceField(label=_("经济困难状况"),
                                 choices=[c for c in HardshipCheck.choices if c[0] != "pending"])
    exemption = forms.ChoiceField(label=_("免予核查或不受限制的依据"), required=False,
                                  choices=[("", "—"), *Exemption.choices])
    note = forms.CharField(label=_("核查情况（信息共享查询或个人诚信承诺）"), required=False,
                           max_length=300)


class GrantForm(StateForm):
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE_INPUT, initial=timezone.localdate)
    decision_number = forms.CharField(label=_("给予法律援助决定书编号"), max_length=60,
                                      required=False)
    note = forms.CharField(label=_("说明"), required=False)


class RefuseForm(StateForm):
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE_INPUT, initial=timezone.localdate)
    reason = forms.CharField(label=_("不予法律援助的理由（书面告知申请人）"),
                             widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(StateForm):
    provider_kind = forms.ChoiceField(label=_("承办人类型"), choices=ProviderKind.choices)
    unit = forms.ModelChoiceField(label=_("法律服务所"), queryset=ServiceUnit.objects.none(),
                                  required=False)
    provider_name = forms.CharField(label=_("承办人（律师姓名及所在律师事务所）"),
                                    max_length=100, required=False)
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, matter, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = ServiceUnit.objects.filter(
            town_id=matter.town_id, kind=ServiceUnit.Kind.LEGAL_SERVICE_OFFICE)


class TerminateForm(StateForm):
    ground = forms.ChoiceField(label=_("终止原因（法律援助法第四十八条）"),
                               choices=TerminationGround.choices)
    note = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 2}))


class _TownRecordForm(forms.ModelForm):
    """A consultation or a publicity event of the user's town."""

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["large_grid"].queryset = LargeGrid.objects.filter(town=town)
        self.fields["unit"].queryset = ServiceUnit.objects.filter(town=town)


class ConsultationForm(_TownRecordForm):
    class Meta:
        model = Consultation
        fields = ["consulted_on", "large_grid", "unit", "asker", "asker_group", "topic",
                  "question", "advice", "advised_by", "referred_onward", "referred_to"]
        widgets = {"consulted_on": DATE_INPUT,
                   "question": forms.Textarea(attrs={"rows": 2}),
                   "advice": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, town, user=None, **kwargs):
        super().__init__(*args, town=town, **kwargs)
        self.fields["advised_by"].queryset = staff_of_town(town_id=town.pk)
        self.fields["asker_group"].choices = [("", "—"), *PriorityGroup.choices]


class PublicityEventForm(_TownRecordForm):
    staff = forms.ModelMultipleChoiceField(label=_("参与工作人员"), queryset=Staff.objects.none())

    class Meta:
        model = PublicityEvent
        fields = ["held_on", "large_grid", "unit", "place", "topic", "audience", "staff"]
        widgets = {"held_on": DATE_INPUT}

    def __init__(self, *args, town, user=None, **kwargs):
        super().__init__(*args, town=town, **kwargs)
        self.fields["staff"].queryset = staff_of_town(town_id=town.pk)
