"""The economic-hardship rule of 法律援助法 (2021), stated once: the transfer checks it and
the form suggests the exemption a group implies."""

from __future__ import annotations

from core.priority import PriorityGroup

from .states import Exemption, HardshipCheck


def hardship_refusal(*, hardship: str, exemption: str) -> str | None:
    """Why a matter with this check may not be passed to the legal-aid agency yet, or None.

    Hardship checked (第四十一条: by shared information or the applicant's pledge), or an
    exemption named: 第三十二条 (not limited by hardship) or 第四十二条 (check waived)."""
    from django.utils.translation import gettext as _

    if hardship in (HardshipCheck.MET, HardshipCheck.PLEDGED):
        return None
    if hardship == HardshipCheck.EXEMPT:
        return None if exemption in Exemption.values else _("请选择免予核查的依据。")
    if hardship == HardshipCheck.NOT_MET:
        return _("申请人不符合经济困难条件，也不属于免予核查或不受经济困难条件限制的情形"
                 "（法律援助法第三十二条、第四十二条）。")
    return _("请先核查申请人的经济困难状况（法律援助法第四十一条）。")


def suggested_exemption(group: str) -> str:
    """A person receiving assistance (应援对象: social or judicial assistance, special care)
    is exempt from the check (第四十二条第二项); other groups are checked."""
    return Exemption.ASSISTANCE if group == PriorityGroup.ASSISTANCE_RECIPIENT else ""
