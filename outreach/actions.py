"""Everything a user can do to an application for mediation, declared once (see
``casework.actions``): the page forms, the API's ``POST /api/v1/applications/{id}/<action>/``,
the admin buttons and ``available_actions``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework.actions import Action, ActionSet, Note

from . import forms as f
from . import services
from .api import serializers as s

ACTIONS = ActionSet(
    Action("accept", _("受理并登记纠纷"), services.application_accept,
           note=Note("note", _("说明")),
           summary="Accept: register the dispute (source: the party's application)"),
    Action("decline", _("不予受理"), services.application_decline, form=f.DeclineForm,
           serializer=s.ApplicationDeclineInput,
           summary="Decline with the reason and the other routes (人民调解法 第十八条)"),
    subject="application",
    url_name="outreach:application_action",
    conflict_message=_("该申请当前状态为“%(state)s”，已不是您看到的状态。"),
    stale_message=_("该申请刚被他人处理，当前状态已变化，请查看后再操作。"),
)
