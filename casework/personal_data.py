"""Full personal data on a case page: shown masked; the roles that need the full values
reveal them with a click that states why, and each reveal and each export is recorded
(core.models.PersonalDataAccess; 《个人信息保护法》第五十一条).

Each case app says who may reveal (``<app>.permissions.can_see_personal_data``); its case
page calls ``reveal_request`` on POST and ``personal_data_context`` for the page.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import PersonalDataAccess
from grid.scope import scope_for_user


class RevealForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("查看事由"), max_length=200,
                             help_text=gettext_lazy("例如：电话联系当事人、核对身份"))


def _record_of(case) -> dict:
    return {"record_type": case._meta.label_lower, "record_id": case.pk,
            "record_label": str(getattr(case, "number", "") or case)[:120],
            "town_id": getattr(case, "town_id", None)}


def personal_data_access_record(*, by, case=None, kind: str = PersonalDataAccess.Kind.VIEW,
                                reason: str, record_type: str = "",
                                record_label: str = "") -> PersonalDataAccess:
    """Write one access row (one query): a case's reveal, or (``case=None``) an export,
    filed under the exporting user's town (none for a user who sees several towns)."""
    if case is not None:
        fields = _record_of(case)
    else:
        towns = scope_for_user(by).town_ids
        fields = {"record_type": record_type, "record_id": None,
                  "record_label": record_label[:120],
                  "town_id": next(iter(towns)) if len(towns) == 1 else None}
    return PersonalDataAccess.objects.create(user=by, kind=kind, reason=reason.strip()[:200],
                                             **fields)


def case_accesses(case):
    return (PersonalDataAccess.objects.filter(record_type=case._meta.label_lower,
                                              record_id=case.pk)
            .select_related("user", "user__staff"))


def reveal_request(request, *, case, may_reveal: bool):
    """Handle the reveal form. Returns (revealed, form): the access is recorded and the
    values may be shown when the form is valid and the user may see them."""
    if not may_reveal:
        raise PermissionDenied(_("您无权查看完整的个人信息。"))
    form = RevealForm(request.POST)
    if not form.is_valid():
        return False, form
    personal_data_access_record(by=request.user, case=case, reason=form.cleaned_data["reason"])
    return True, RevealForm()


def personal_data_context(*, case, may_reveal: bool, revealed: bool = False,
                          form: RevealForm | None = None) -> dict:
    return {
        "reveal": revealed and may_reveal,
        "may_reveal": may_reveal,
        "reveal_form": (form or RevealForm()) if may_reveal else None,
        "accesses": case_accesses(case)[:50] if may_reveal else None,
    }
