"""The notice ledger (督办台账) as rows and .xlsx, with Chinese headers."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.links import detail_link
from core.sorting import LedgerSorts, SortColumn
from core.xlsx import ledger_workbook

from .models import NoticeKind, NoticeState, TargetOffice

LEDGER_HEADERS = [
    _("序号"), _("编号"), _("类型"), _("事由"), _("责任村/单位"), _("包抓领导"), _("工作措施"),
    _("责任人"), _("办结时限"), _("状态"), _("是否逾期"), _("下发时间"),
]
OFFICES = dict(TargetOffice.choices)
# The ledger's orders (?sort=), by the columns above (by position), each served by an index on
# (column, id) (core.sorting). The number follows issuing, so the issue date sorts it too.
LEDGER_SORTS = LedgerSorts(columns={8: SortColumn("deadline"),
                                    11: SortColumn("created_at", descending_first=True)},
                           default="-created_at")


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def ledger_rows(notices, start: int | None = 1) -> list[dict]:
    """Rows of the ledger for ``notices`` (from ``notice_ledger_for_user``); ``start`` is the
    first row's 序号, None when it is not known (a page reached by cursor)."""
    # Each label translated once per call, not once per cell.
    kinds, states, offices = _labels(NoticeKind), _labels(NoticeState), _labels(TargetOffice)
    yes, no = str(_("是")), str(_("否"))
    link = detail_link("supervision:notice_detail")
    rows = []
    for offset, n in enumerate(notices):
        index = "" if start is None else start + offset
        targets = [lg.name for lg in n.target_large_grids.all()] + [
            offices.get(o, o) for o in n.target_offices]
        overdue = getattr(n, "overdue", n.is_overdue)
        rows.append({"notice": n, "url": link(n.pk), "overdue": overdue, "cells": [
            index, n.number, kinds.get(n.kind, n.kind), n.title, "、".join(targets),
            n.leader_in_charge.name, n.measures[:200], n.responsible.name,
            timezone.localtime(n.deadline).strftime("%Y-%m-%d %H:%M"),
            states.get(n.state, n.state), yes if overdue else no,
            timezone.localtime(n.created_at).strftime("%Y-%m-%d"),
        ]})
    return rows


def ledger_xlsx(notices) -> bytes:
    return ledger_workbook(_("督办台账"), LEDGER_HEADERS,
                           (row["cells"] for row in ledger_rows(notices.iterator(chunk_size=500))))
