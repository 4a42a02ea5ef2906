"""The notice ledger (督办台账) as rows and .xlsx, with Chinese headers."""

import itertools

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.links import detail_link
from core.sorting import LedgerSorts, SortColumn
from core.xlsx import ledger_workbook_file

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


# Notices read and written per round by ``ledger_rows`` (the villages' query is one a chunk).
CHUNK = 500


def _target_villages(notice_ids) -> dict[int, list[str]]:
    """The names of the villages (large grids) each notice is addressed to, in the large
    grids' order (town, number), in one query for a chunk of ids: plain values, no instance
    and no related manager a row."""
    from .models import SupervisionNotice

    links = SupervisionNotice.target_large_grids.through.objects
    names: dict[int, list[str]] = {}
    for notice_id, name in (links.filter(supervisionnotice_id__any_of=list(notice_ids))
                            .order_by("largegrid__town_id", "largegrid__number")
                            .values_list("supervisionnotice_id", "largegrid__name")):
        names.setdefault(notice_id, []).append(name)
    return names


def ledger_rows(notices, start: int | None = 1) -> list[dict]:
    """Rows of the ledger for ``notices`` (from ``notice_ledger_for_user``: a page, or the
    export's iterator, read in chunks); ``start`` is the first row's 序号, None when it is not
    known (a page reached by cursor). Each row's ``notice`` is the notice's plain row, not a
    model instance."""
    # Each label translated once per call, not once per cell.
    kinds, states, offices = _labels(NoticeKind), _labels(NoticeState), _labels(TargetOffice)
    yes, no = str(_("是")), str(_("否"))
    link = detail_link("supervision:notice_detail")
    tz = timezone.get_current_timezone()  # once, not per cell (timezone.localtime)
    rows = []
    notices = iter(notices)
    while chunk := list(itertools.islice(notices, CHUNK)):
        villages = _target_villages(n.pk for n in chunk)
        for n in chunk:
            index = "" if start is None else start + len(rows)
            targets = villages.get(n.pk, []) + [offices.get(o, o) for o in n.target_offices]
            overdue = n.overdue
            rows.append({"notice": n, "url": link(n.pk), "overdue": overdue, "cells": [
                index, n.number, kinds.get(n.kind, n.kind), n.title, "、".join(targets),
                n.row_leader_name, n.measures[:200], n.row_responsible_name,
                n.deadline.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                states.get(n.state, n.state), yes if overdue else no,
                n.created_at.astimezone(tz).strftime("%Y-%m-%d"),
            ]})
    return rows


def _rows_in_chunks(notices, progress=None):
    """The ledger's cells, ``CHUNK`` notices at a time from one cursor (fixed queries a
    chunk, memory flat whatever the rows); ``progress(rows_so_far)`` after each chunk."""
    notices, start = notices.iterator(chunk_size=CHUNK), 1
    while chunk := list(itertools.islice(notices, CHUNK)):
        yield from (row["cells"] for row in ledger_rows(chunk, start=start))
        start += len(chunk)
        if progress:
            progress(start - 1)


def ledger_xlsx_file(notices, progress=None):
    """The ledger as an .xlsx workbook in a temporary file (large exports: flat memory)."""
    return ledger_workbook_file(_("督办台账"), LEDGER_HEADERS,
                                _rows_in_chunks(notices, progress=progress))
