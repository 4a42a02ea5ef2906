"""The official ledger (矛盾纠纷摸排台账) as rows, as .xlsx, for print: the same Chinese
headers everywhere, personal data masked."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.states import Evaluation
from core.links import detail_link
from core.masking import mask_name
from core.xlsx import ledger_workbook_file
from grid.selectors import leaders_in_charge

from .states import OPEN_STATES, DisputeCategory, DisputeState, RiskLevel

LEDGER_HEADERS = [
    _("序号"), _("案号"), _("发现日期"), _("网格"), _("当事人"), _("纠纷类型"), _("简要情况"),
    _("风险等级"), _("当前层级/状态"), _("责任人"), _("采取的措施"), _("办理期限"), _("调解期限"),
    _("办理结果"), _("当事人评价"), _("包抓领导"),
]
COLUMN_WIDTHS = [6, 22, 12, 22, 26, 12, 40, 10, 16, 10, 40, 17, 12, 30, 10, 16]


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


# The ledgers mark a party served first; the group and the reason stay on the case.
PRIORITY_MARK = _("【优先】")


def _parties(parties, roles: dict, mark: str) -> str:
    """A row's parties, ``(name, role, masked phone, priority_group)`` each, masked; ``mark``
    before one served first."""
    return "；".join(
        f"{mark if group else ''}{mask_name(name)}（{roles.get(role, role)}"
        f"{'，' + phone if phone else ''}）"
        for name, role, phone, group in parties)


def _page_parties(dispute_ids) -> dict[int, list[tuple]]:
    """The parties of a page's cases, in one query, as plain values: the phone's mask kept
    beside its cipher text (core.fields), so nothing is decrypted; no model instance per
    party."""
    from .models import Party

    parties: dict[int, list[tuple]] = {}
    for dispute_id, *values in (Party.objects.filter(dispute_id__any_of=dispute_ids).order_by("id")
                                .values_list("dispute_id", "name", "role", "phone_masked",
                                             "priority_group")):
        parties.setdefault(dispute_id, []).append(values)
    return parties


def _result(row, labels: dict[str, dict[str, str]]) -> str:
    """The 办理结果 cell of a ledger row: the outcome of a resolved case, where a referred one
    went, why a mediation ended or why a case was withdrawn or voided."""
    state = row.state
    if state in (DisputeState.RESOLVED, DisputeState.CLOSED):
        return row.outcome
    if state == DisputeState.REFERRED:
        return f"{_('移交')}{labels['referred_to'].get(row.referred_to, row.referred_to)}"
    if state == DisputeState.TERMINATED:
        reason = labels["termination_reason"].get(row.termination_reason, row.termination_reason)
        return f"{_('终止调解')}：{reason}"
    if state in (DisputeState.WITHDRAWN, DisputeState.VOIDED):
        return f"{labels['state'].get(state, state)}：{row.ended_reason}"
    return ""


def _field_labels(name: str) -> dict[str, str]:
    from .models import Dispute

    return {value: str(label) for value, label in Dispute._meta.get_field(name).flatchoices}


def ledger_rows(disputes, start: int | None = 1) -> list[dict]:
    """Rows of the ledger for ``disputes``, as ``lean`` reads them (the page, the print, the
    export's chunks); ``start`` is the first row's 序号, None when it is not known (a page
    reached by cursor beyond an estimated count). Each row's ``dispute`` is the case's plain
    row (``lean``), not a model instance."""
    from .models import Party
    from .selectors import latest_measures

    disputes = list(disputes)
    ids = [d.pk for d in disputes]
    leaders = leaders_in_charge(large_grid_ids={d.row_large_grid_id for d in disputes})
    measures = latest_measures(dispute_ids=ids)
    parties = _page_parties(ids) if ids else {}
    # Each label translated once per call, not once per cell.
    categories, risks, states, roles, grades = (_labels(c) for c in (
        DisputeCategory, RiskLevel, DisputeState, Party.PartyRole, Evaluation))
    result_labels = {"state": states, "referred_to": _field_labels("referred_to"),
                     "termination_reason": _field_labels("termination_reason")}
    mark = str(PRIORITY_MARK)
    link = detail_link("disputes:detail")
    tz = timezone.get_current_timezone()  # once, not per cell (timezone.localtime)
    open_states = frozenset(OPEN_STATES)
    rows = []
    for offset, d in enumerate(disputes):
        index = "" if start is None else start + offset
        is_open = d.state in open_states
        due = d.tier_due_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if (
            d.tier_due_at and is_open) else ""
        rows.append({
            "dispute": d,
            "url": link(d.pk),
            "overdue": d.overdue,
            "cells": [
                index,
                d.number,
                d.found_at.astimezone(tz).strftime("%Y-%m-%d"),
                f"{d.row_large_grid_name}·{d.row_small_grid_name}",
                _parties(parties.get(d.pk, ()), roles, mark),
                categories.get(d.category, d.category),
                d.title,
                risks.get(d.risk_level, d.risk_level),
                states.get(d.state, d.state),
                d.row_handler_name or "",
                measures.get(d.pk, "")[:200],
                due,
                d.mediation_due.strftime("%Y-%m-%d") if d.mediation_due and is_open else "",
                _result(d, result_labels),
                grades.get(d.evaluation, "") if d.evaluation else "",
                "、".join(leaders.get(d.row_large_grid_id, [])),
            ],
        })
    return rows


# What a ledger row reads (``ledger_rows``): the ledger reads only these columns of the case,
# the names it shows from its grid and handler, as one plain row a case (no model instance,
# no related instance; a row's ``pk`` and sort keys are what the keyset pages read), and the
# parties for the page's ids (each encrypted column costs a decryption a row).
ROW_FIELDS = ("pk", "number", "found_at", "small_grid", "category", "title", "risk_level",
              "state", "tier_due_at", "mediation_due", "outcome", "referred_to",
              "termination_reason", "ended_reason", "evaluation")
ROW_NAMES = {"row_small_grid_name": "small_grid__name",
             "row_large_grid_id": "small_grid__large_grid_id",
             "row_large_grid_name": "small_grid__large_grid__name",
             "row_handler_name": "handler__name"}


def lean(disputes):
    """``disputes`` as the ledger's plain rows (named tuples of ``ROW_FIELDS``, the names of
    ``ROW_NAMES`` and ``overdue``): the page, the print and the export. Built as model
    instances, a page's fifty cases cost more than their query (each state read through
    django-fsm's descriptor, each instance's deferred fields)."""
    from django.db.models import F

    from .selectors import with_overdue

    if "overdue" not in disputes.query.annotations:
        disputes = with_overdue(disputes)
    return (disputes.select_related(None).prefetch_related(None)
            .annotate(**{name: F(path) for name, path in ROW_NAMES.items()})
            .values_list(*ROW_FIELDS, *ROW_NAMES, "overdue", named=True))


# Cases read and written per round: the queries per chunk (parties, measures, leaders) are
# fixed, so fewer, larger chunks cost fewer round trips; 2,000 cases hold a few MB.
EXPORT_CHUNK = 2000


def _rows_in_chunks(disputes, progress=None):
    """Ledger rows, ``EXPORT_CHUNK`` cases at a time: a year's ledger stays in fixed queries
    per chunk; ``progress(rows_so_far)`` after each chunk."""
    chunk, start = [], 1
    for d in lean(disputes).iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(d)
        if len(chunk) == EXPORT_CHUNK:
            yield from (row["cells"] for row in ledger_rows(chunk, start=start))
            start += len(chunk)
            chunk = []
            if progress:
                progress(start - 1)
    yield from (row["cells"] for row in ledger_rows(chunk, start=start))
    if progress:
        progress(start - 1 + len(chunk))


def ledger_xlsx_file(disputes, progress=None):
    """The ledger as an .xlsx workbook in a temporary file (large exports: flat memory)."""
    return ledger_workbook_file(_("矛盾纠纷摸排台账"), LEDGER_HEADERS,
                                _rows_in_chunks(disputes, progress), COLUMN_WIDTHS)
