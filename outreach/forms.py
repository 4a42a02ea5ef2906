"""Forms of the public pages and of the staff's decline."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.actions import StateForm
from casework.states import Evaluation
from core.validators import validate_mobile
from disputes.states import DisputeCategory
from grid.models import SmallGrid


class LookupForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off",
                                                         "autocapitalize": "characters"}))
    phone4 = forms.CharField(label=_("手机号码后四位"), min_length=4, max_length=4,
                             widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                           "autocomplete": "off"}))


class EvaluateForm(LookupForm):
    evaluation = forms.ChoiceField(label=_("评价"), choices=Evaluation.choices,
                                   widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见（可不填）"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))


class SmallGridChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.large_grid.name} · {obj.name}"


class ApplyForm(forms.Form):
    small_grid = SmallGridChoice(
        label=_("所在村和网格"),
        queryset=SmallGrid.objects.select_related("large_grid").order_by(
            "large_grid__town_id", "large_grid__name", "name"))
    name = forms.CharField(label=_("您的姓名"), max_length=80)
    phone = forms.CharField(label=_("手机号码"), max_length=11, validators=[validate_mobile],
                            widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                          "autocomplete": "tel"}))
    code = forms.CharField(label=_("短信验证码"), max_length=6, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))
    other_party = forms.CharField(label=_("对方当事人（如知道）"), max_length=80,
                                  required=False)
    other_party_phone = forms.CharField(label=_("对方联系电话（如知道）"), max_length=11,
                                        required=False, validators=[validate_mobile])
    category = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeCategory.choices)
    description = forms.CharField(label=_("事情经过"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}))


class DeclineForm(StateForm):
    reason = forms.CharField(label=_("不予受理的理由"),
                             widget=forms.Textarea(attrs={"rows": 2}))
    other_routes = forms.CharField(
        label=_("告知的其他途径"), required=False,
        help_text=_("不填时告知：可向有关行政机关申请处理，或依法申请仲裁、提起诉讼（人民调解法第十八条）。"),
        widget=forms.Textarea(attrs={"rows": 2}))
