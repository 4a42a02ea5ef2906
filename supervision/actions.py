"""Everything a user can do to a supervision notice, declared once (see
``casework.actions``): the page buttons and forms, the API's ``POST
/api/v1/notices/{id}/<action>/``, the admin buttons and ``available_actions``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework.actions import Action, ActionSet, Note

from . import forms as f
from . import permissions, services
from .api import serializers as s
from .states import NoticeState


def _progress_offered(notice, user) -> bool:
    """Not a transition: progress is posted while the notice is being worked on."""
    return (notice.state in (NoticeState.ACKNOWLEDGED, NoticeState.RETURNED)
            and permissions.can_handle(notice, user))


ACTIONS = ActionSet(
    Action("acknowledge", _("签收"), services.notice_acknowledge, note=Note("note", _("说明")),
           summary="Acknowledge"),
    Action("progress", _("登记进展"), services.notice_progress,
           note=Note("note", _("工作进展"), required=True, rows=3), offered=_progress_offered,
           admin=False, summary="Post progress"),
    Action("report", _("报告结果"), services.notice_report, form=f.ReportForm,
           serializer=s.ReportInput, summary="Report the result"),
    Action("verify", _("核验通过"), services.notice_verify, form=f.VerifyForm,
           serializer=s.VerifyInput, summary="Verify"),
    Action("return_for_work", _("退回重办"), services.notice_return, form=f.ReturnForm,
           serializer=s.ReturnInput, api_name="return",
           summary="Return for more work with a new deadline"),
    subject="notice",
    url_name="supervision:notice_action",
    conflict_message=_("该督办件当前状态为“%(state)s”，已不是您看到的状态。"),
    stale_message=_("该督办件刚被他人处理，当前状态已变化，请查看后再操作。"),
)
