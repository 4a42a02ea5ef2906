"""Everything a user can do to a legal-aid matter, declared once (see ``casework.actions``):
the page's buttons and forms and ``available_actions`` come from this list, in this order.
Matters have no API of their own yet (``api=False``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework.actions import Action, ActionSet, Note

from . import permissions, services
from .forms import AssignForm, CheckHardshipForm, GrantForm, RefuseForm, TerminateForm

ACTIONS = ActionSet(
    Action("check_hardship", _("核查经济困难状况"), services.legal_aid_check_hardship,
           form=CheckHardshipForm, offered=permissions.can_check_hardship, admin=False,
           api=False, summary="Record the economic-hardship check or the exemption"),
    Action("transfer", _("转交县法律援助中心"), services.legal_aid_transfer,
           note=Note("note", _("转交说明")), check_conditions=False, api=False,
           summary="Transfer to the county legal-aid centre"),
    Action("grant", _("登记准予法律援助决定"), services.legal_aid_grant, form=GrantForm,
           api=False, admin=False, summary="The county centre granted aid"),
    Action("refuse", _("登记不予法律援助决定"), services.legal_aid_refuse, form=RefuseForm,
           api=False, admin=False, summary="The county centre refused aid"),
    Action("assign", _("指派承办"), services.legal_aid_assign, form=AssignForm,
           form_context=True, api=False, admin=False, summary="Assign the provider"),
    Action("conclude", _("办结"), services.legal_aid_conclude,
           note=Note("outcome", _("办理结果"), required=True, rows=3), api=False,
           summary="Conclude"),
    Action("terminate", _("终止法律援助"), services.legal_aid_terminate, form=TerminateForm,
           api=False, admin=False, summary="Terminate the aid"),
    Action("void", _("作废（误登记）"), services.legal_aid_void,
           note=Note("reason", _("原因"), required=True), api=False, summary="Void"),
    subject="matter",
    url_name="legalaid:action",
    conflict_message=_("该事项当前状态为“%(state)s”，已不是您看到的状态。"),
    stale_message=_("该事项刚被他人处理，当前状态已变化，请查看后再操作。"),
)
