from django import forms
from django.utils.translation import gettext_lazy as _

from disputes.models import Dispute
from grid.models import SmallGrid
from grid.selectors import small_grid_list_for_user

from .models import ScreeningArea


class ScreeningReportForm(forms.Form):
    small_grid = forms.ModelChoiceField(label=_("小网格"), queryset=SmallGrid.objects.none())
    areas = forms.MultipleChoiceField(label=_("今日排查内容"), choices=ScreeningArea.choices,
                                      widget=forms.CheckboxSelectMultiple)
    nothing_found = forms.BooleanField(label=_("零报告：今日未发现矛盾纠纷"), required=False)
    findings = forms.CharField(label=_("发现的问题"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    disputes = forms.ModelMultipleChoiceField(label=_("由此登记的纠纷"), required=False,
                                              queryset=Dispute.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        grids = small_grid_list_for_user(user=user)
        self.fields["small_grid"].queryset = grids
        if grids.count() == 1:
            self.fields["small_grid"].initial = grids.first()
        from disputes.selectors import dispute_list_for_user

        open_ids = dispute_list_for_user(user=user).open().values("pk")
        self.fields["disputes"].queryset = Dispute.objects.filter(pk__in=open_ids).order_by(
            "-found_at")
        self.fields["disputes"].label_from_instance = lambda d: f"{d.number} {d.title}"


class JudgementForm(forms.Form):
    judgement = forms.CharField(label=_("研判意见"), widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(label=_("工作部署"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
