"""The petitions ledger (信访台账): rows, .xlsx and print with the same Chinese headers.
Personal data is masked; a confidential accusation never shows who filed it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.masking import mask_name, mask_phone
from core.sorting import LedgerSorts, SortColumn
from core.xlsx import ledger_workbook

LEDGER_HEADERS = [
    _("序号"), _("信访编号"), _("收到日期"), _("网格"), _("信访人"), _("形式"), _("类别"),
    _("信访事项"), _("标记"), _("状态"), _("代办员/承办人"), _("受理期限"), _("办理期限"),
    _("处理结果"), _("信访人评价"), _("国家信访信息系统编号"),
]
# Relative widths of the columns, for the .xlsx and the landscape print (fixed, wrapping).
COLUMN_WIDTHS = [5, 16, 10, 16, 18, 7, 10, 30, 12, 10, 12, 10, 10, 26, 9, 16]
CONFIDENTIAL = _("（保密）")
# The ledger's orders (?sort=), by the columns above (by position), each served by an index on
# (column, id) (core.sorting). The number follows registration, so the date sorts it too; a
# reply deadline not yet set (before acceptance) comes last both ways.
LEDGER_SORTS = LedgerSorts(columns={2: SortColumn("received_on", descending_first=True),
                                    11: SortColumn("accept_due"), 12: SortColumn("reply_due")},
                           default="-received_on")


def petitioners_display(petition, *, masked: bool = True) -> str:
    """Who filed it, masked; a confidential accusation is （保密）. ``masked=False`` names
    them in full (e.g. to address a printed notice): only for a user who passed
    ``permissions.can_see_identity``."""
    if petition.is_confidential and masked:
        return str(CONFIDENTIAL)
    people = list(petition.petitioners.all())
    shown = [p for p in people if p.is_representative] or people
    text = "；".join(
        (f"{mask_name(p.name)}{'（' + mask_phone(p.phone) + '）' if p.phone else ''}"
         if masked else p.name) for p in shown[:5])
    if petition.people_count > len(shown):
        text += _("等%(n)s人") % {"n": petition.people_count}
    return text


def flags_display(petition) -> str:
    flags = []
    if petition.is_repeat:
        flags.append(str(_("重复访")))
    if getattr(petition, "skip_level", False):
        flags.append(str(_("越级访")))
    if getattr(petition, "repeat_to_higher", False):
        flags.append(str(_("向上级重复信访")))
    if petition.is_group:
        flags.append(str(_("集体访")))
    if petition.docked_dispute_id:
        flags.append(str(_("访调对接")))
    if getattr(petition, "overdue", False):
        flags.append(str(_("超期")))
    if petition.is_undelivered:
        flags.append(str(_("答复未送达")))
    return "、".join(flags)


def evaluation_display(petition) -> str:
    """The petitioner's evaluation and comment (信访工作条例 第二十一条), or empty."""
    if not petition.evaluation:
        return ""
    text = str(petition.get_evaluation_display())
    return f"{text}：{petition.evaluation_comment}" if petition.evaluation_comment else text


def ledger_rows(petitions, start: int | None = 1) -> list[dict]:
    rows = []
    for offset, p in enumerate(petitions):
        index = "" if start is None else start + offset
        person = p.handler or p.proxy_agent
        rows.append({"petition": p, "overdue": getattr(p, "overdue", False), "cells": [
            index, p.number, p.received_on.strftime("%Y-%m-%d"),
            f"{p.small_grid.large_grid.name}·{p.small_grid.name}", petitioners_display(p),
            p.get_form_display(), p.get_kind_display(), p.subject, flags_display(p),
            p.get_state_display(), person.name if person else "",
            p.accept_due.strftime("%Y-%m-%d") if p.accept_due else "",
            p.reply_due.strftime("%Y-%m-%d") if p.reply_due else "",
            p.get_reply_result_display() if p.reply_result else (
                p.get_close_reason_display() if p.close_reason else ""),
            evaluation_display(p), p.national_number,
        ]})
    return rows


def ledger_xlsx(petitions) -> bytes:
    return ledger_workbook(_("信访台账"), LEDGER_HEADERS,
                           (row["cells"] for row in ledger_rows(
                               petitions.iterator(chunk_size=500))), COLUMN_WIDTHS)
