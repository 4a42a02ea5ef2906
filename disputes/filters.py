"""The ledger's filters, validated once for pages, exports and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import QuickSelect
from core.sorting import LedgerSorts, SortColumn
from grid.forms import GridFilterForm

from .models import DisputeCategory, DisputeState, RiskLevel

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LedgerFilterForm(GridFilterForm):
    field_order = ["found_from", "found_to"]  # then the grids, then the rest as declared

    found_from = forms.DateField(label=_("发现日期自"), required=False, widget=DATE_INPUT)
    found_to = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)
    category = forms.ChoiceField(label=_("纠纷类型"), required=False,
                                 choices=[("", _("全部"))] + list(DisputeCategory.choices),
                                 widget=QuickSelect)
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部"))] + list(DisputeState.choices),
                              widget=QuickSelect)
    risk_level = forms.ChoiceField(label=_("风险等级"), required=False,
                                   choices=[("", _("全部"))] + list(RiskLevel.choices),
                                   widget=QuickSelect)
    overdue = forms.BooleanField(label=_("仅看超期"), required=False)
    legal_aid = forms.BooleanField(label=_("仅看法律援助"), required=False)
    q = forms.CharField(label=_("案号、名称或当事人"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("found_from") and data.get("found_to") and data["found_from"] > data["found_to"]:
            self.add_error("found_to", _("结束日期不能早于开始日期。"))
        return data


# The ledger's orders (?sort=), by the columns of disputes.exports.LEDGER_HEADERS (by position):
# each is served by the index on its column (core.keyset); a deadline's empty rows (closed
# cases) come last.
LEDGER_SORTS = LedgerSorts(columns={2: SortColumn("found_at", descending_first=True),
                                    11: SortColumn("tier_due_at")},
                           default="-found_at")
