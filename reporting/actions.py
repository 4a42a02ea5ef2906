"""Everything a user can do to a statistics report or a bulletin, declared once (see
``casework.actions``): the page forms, the API's ``POST …/{id}/<action>/``, the admin
buttons and ``available_actions``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework.actions import Action, ActionSet, Note

from . import permissions, services
from .api import serializers as s
from .forms import BulletinTextForm


def _text(bulletin) -> dict:
    return {"title": bulletin.title, "body": bulletin.body}


REPORT_ACTIONS = ActionSet(
    Action("file", _("上报县司法局"), services.statistics_report_file,
           note=Note("note", _("说明")),
           summary="File the report: its figures are counted once more and frozen"),
    Action("correct", _("更正（生成新版本）"), services.statistics_report_correct,
           note=Note("reason", _("更正原因"), required=True, rows=3),
           summary="Correct a filed report: a new version with the reason; both stay"),
    subject="report",
    url_name="reporting:report_action",
    conflict_message=_("该报表当前状态为“%(state)s”，已不是您看到的状态。"),
    stale_message=_("该报表刚被他人处理，当前状态已变化，请查看后再操作。"),
)

BULLETIN_ACTIONS = ActionSet(
    Action("edit", _("修改通报稿"), services.bulletin_edit, form=BulletinTextForm,
           initial=_text, serializer=s.BulletinTextInput, offered=permissions.can_edit,
           admin=False, summary="Edit the draft's title and text"),
    Action("issue", _("印发"), services.bulletin_issue, form=BulletinTextForm, initial=_text,
           serializer=s.BulletinTextInput, admin=False,
           summary="Issue to the villages and units (inbox and print); the text is kept"),
    Action("read", _("已阅知"), services.bulletin_read, note=Note("note", _("阅知意见")),
           offered=permissions.can_read, admin=False, summary="Mark the bulletin read"),
    subject="bulletin",
    url_name="reporting:bulletin_action",
    conflict_message=_("该通报当前状态为“%(state)s”，已不是您看到的状态。"),
    stale_message=_("该通报刚被他人处理，当前状态已变化，请查看后再操作。"),
)
