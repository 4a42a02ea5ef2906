"""The notice ledger (督办台账) as rows and .xlsx, with Chinese headers."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.sorting import LedgerSorts, SortColumn
from core.xlsx import ledger_workbook

from .models import TargetOffice

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


def ledger_rows(notices, start: int | None = 1) -> list[dict]:
    rows = []
    for offset, n in enumerate(notices):
        index = "" if start is None else start + offset
        targets = [lg.name for lg in n.target_large_grids.all()] + [
            str(OFFICES.get(o, o)) for o in n.target_offices]
        overdue = getattr(n, "overdue", n.is_overdue)
        rows.append({"notice": n, "overdue": overdue, "cells": [
            index, n.number, n.get_kind_display(), n.title, "、".join(targets),
            n.leader_in_charge.name, n.measures[:200], n.responsible.name,
            timezone.localtime(n.deadline).strftime("%Y-%m-%d %H:%M"), n.get_state_display(),
            _("是") if overdue else _("否"),
            timezone.localtime(n.created_at).strftime("%Y-%m-%d"),
        ]})
    return rows


def ledger_xlsx(notices) -> bytes:
    return ledger_workbook(_("督办台账"), LEDGER_HEADERS,
                           (row["cells"] for row in ledger_rows(notices.iterator(chunk_size=500))))
