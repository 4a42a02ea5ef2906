"""The legal-aid ledger (法律援助台账), the consultation ledger (法律咨询台账) and the
publicity ledger (法治宣传台账) as rows and .xlsx, with Chinese headers; names and phones
masked, priority-service applicants marked (the group and reason are not shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.masking import mask_name
from core.xlsx import ledger_workbook

PRIORITY_MARK = _("【优先】")

MATTER_HEADERS = [
    _("序号"), _("编号"), _("申请日期"), _("网格"), _("申请人"), _("援助事项类别"), _("申请援助事项"),
    _("经济困难状况"), _("关联案件"), _("状态"), _("审查决定期限"), _("承办人"), _("办理结果"),
]
CONSULTATION_HEADERS = [
    _("序号"), _("咨询日期"), _("村（社区）"), _("咨询人"), _("咨询类别"), _("咨询事项"),
    _("解答意见"), _("解答人"), _("接待单位"), _("是否转介"), _("转介去向"),
]
PUBLICITY_HEADERS = [
    _("序号"), _("日期"), _("村（社区）"), _("地点"), _("宣传主题"), _("受众人数"), _("参与工作人员"),
    _("组织单位"),
]


def _person(name: str, priority: bool, masked_phone: str = "") -> str:
    """A name masked, with the phone's mask (kept beside its cipher text: core.fields)."""
    text = mask_name(name) + (f"（{masked_phone}）" if masked_phone else "")
    return f"{PRIORITY_MARK}{text}" if priority else text


def matter_rows(matters, start: int = 1) -> list[dict]:
    rows = []
    for offset, m in enumerate(matters):
        linked = m.dispute.number if m.dispute_id else (m.petition.number if m.petition_id else "")
        hardship = m.get_hardship_display() + (f"（{m.get_exemption_display()}）"
                                               if m.exemption else "")
        rows.append({"matter": m, "overdue": False, "cells": [
            start + offset, m.number, m.applied_on.strftime("%Y-%m-%d"),
            f"{m.small_grid.large_grid.name}·{m.small_grid.name}",
            _person(m.name, bool(m.applicant_group), m.phone_masked), m.get_matter_kind_display(),
            m.matter[:200], hardship, linked, m.get_state_display(),
            m.decision_due.strftime("%Y-%m-%d") if m.decision_due and m.state == "transferred"
            else "", m.provider_name, m.outcome or m.refusal_reason or m.ended_reason,
        ]})
    return rows


def consultation_rows(consultations, start: int = 1) -> list[list]:
    return [[
        start + offset, c.consulted_on.strftime("%Y-%m-%d"),
        c.large_grid.name if c.large_grid_id else _("镇"), _person(c.asker, bool(c.asker_group)),
        c.get_topic_display(), c.question[:200], c.advice[:300], c.advised_by.name,
        c.unit.name if c.unit_id else "", _("是") if c.referred_onward else _("否"), c.referred_to,
    ] for offset, c in enumerate(consultations)]


def publicity_rows(events, start: int = 1) -> list[list]:
    return [[
        start + offset, e.held_on.strftime("%Y-%m-%d"),
        e.large_grid.name if e.large_grid_id else _("镇"), e.place, e.topic, e.audience,
        "、".join(s.name for s in e.staff.all()), e.unit.name if e.unit_id else "",
    ] for offset, e in enumerate(events)]


def _chunked(qs, make, size: int = 500):
    """Rows 500 at a time: fixed queries per chunk (prefetches run per chunk)."""
    start, offset = 1, 0
    while True:
        chunk = list(qs[offset:offset + size])
        if not chunk:
            return
        made = make(chunk, start=start)
        yield from (row["cells"] if isinstance(row, dict) else row for row in made)
        start += len(chunk)
        offset += size


def matters_xlsx(matters) -> bytes:
    return ledger_workbook(_("法律援助台账"), MATTER_HEADERS, _chunked(matters, matter_rows))


def consultations_xlsx(consultations) -> bytes:
    return ledger_workbook(_("法律咨询台账"), CONSULTATION_HEADERS,
                           _chunked(consultations, consultation_rows))


def publicity_xlsx(events) -> bytes:
    return ledger_workbook(_("法治宣传台账"), PUBLICITY_HEADERS, _chunked(events, publicity_rows))
