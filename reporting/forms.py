from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework.actions import StateForm

from .periods import parse_period


class PeriodField(forms.CharField):
    """A period code: 2026-11 (month), 2026-Q4 (quarter), 2026 (year)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("统计期间"))
        kwargs.setdefault("help_text", _("月报如 2026-11，季报如 2026-Q4，年报如 2026。"))
        super().__init__(max_length=8, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_period(value)
        except ValueError as exc:
            raise ValidationError(_("统计期间格式不正确。")) from exc


class ReportDraftForm(forms.Form):
    town = forms.ModelChoiceField(queryset=None, label=_("镇"))
    period = PeriodField()

    def __init__(self, *args, towns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns


class BulletinTextForm(StateForm):
    title = forms.CharField(label=_("标题"), max_length=120)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 18}))
