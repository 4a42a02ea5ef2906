"""The petitions ledger (信访台账): rows, .xlsx and print with the same Chinese headers.
Personal data is masked; a confidential accusation never shows who filed it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.links import detail_link
from core.masking import mask_name
from core.sorting import LedgerSorts, SortColumn
from core.xlsx import ledger_workbook_file

from .states import GROUP_SIZE, PetitionKind

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
    return _petitioners_text([(p.name, p.phone_masked, p.is_representative)
                              for p in petition.petitioners.all()], petition.people_count,
                             masked=masked)


def _petitioners_text(people, people_count: int, *, masked: bool = True) -> str:
    """``people`` as ``(name, phone_masked, is_representative)`` in their order: the
    representatives if any, else everyone, five at most, then how many in all."""
    shown = [p for p in people if p[2]] or people
    text = "；".join(
        (f"{mask_name(name)}{'（' + phone + '）' if phone else ''}" if masked else name)
        for name, phone, _representative in shown[:5])
    if people_count > len(shown):
        text += _("等%(n)s人") % {"n": people_count}
    return text


def _page_petitioners(petition_ids) -> dict[int, list[tuple]]:
    """The petitioners of a page's petitions, in one query, as plain values in their order
    (the phone's mask kept beside its cipher text, so nothing is decrypted)."""
    from .models import Petitioner

    people: dict[int, list[tuple]] = {}
    for petition_id, *values in (Petitioner.objects.filter(petition_id__any_of=petition_ids)
                                 .order_by("petition_id", "id")
                                 .values_list("petition_id", "name", "phone_masked",
                                              "is_representative")):
        people.setdefault(petition_id, []).append(tuple(values))
    return people


def flags_display(petition, flags: dict[str, bool]) -> str:
    """The 标记 cell of a ledger row (``petition`` a row of ``petition_ledger_for_user``):
    ``flags`` the computed ones of ``selectors.petition_flags``."""
    shown = []
    if petition.repeat_of_id is not None:
        shown.append(str(_("重复访")))
    if flags.get("skip_level"):
        shown.append(str(_("越级访")))
    if flags.get("repeat_to_higher"):
        shown.append(str(_("向上级重复信访")))
    if petition.people_count >= GROUP_SIZE:
        shown.append(str(_("集体访")))
    if petition.docked_dispute_id:
        shown.append(str(_("访调对接")))
    if flags.get("overdue"):
        shown.append(str(_("超期")))
    if petition.replied_on is not None and petition.delivered_on is None:
        shown.append(str(_("答复未送达")))
    return "、".join(shown)


def evaluation_display(petition, evaluations: dict | None = None) -> str:
    """The petitioner's evaluation and comment (信访工作条例 第二十一条), or empty."""
    if not petition.evaluation:
        return ""
    text = (evaluations.get(petition.evaluation, petition.evaluation) if evaluations is not None
            else str(petition.get_evaluation_display()))
    return f"{text}：{petition.evaluation_comment}" if petition.evaluation_comment else text


def _labels(field: str) -> dict[str, str]:
    """A petition field's choice labels, translated."""
    from .models import Petition

    return {value: str(label) for value, label in Petition._meta.get_field(field).choices}


def ledger_rows(petitions, start: int | None = 1) -> list[dict]:
    """Rows of the ledger for ``petitions`` (rows of ``petition_ledger_for_user``: a page, a
    print, an export's chunk); ``start`` is the first row's 序号, None when it is not known
    (a page reached by cursor). The computed flags are read for all of them in one query.
    Each row's ``petition`` is the petition's plain row, not a model instance."""
    from .selectors import petition_flags

    petitions = list(petitions)
    ids = [p.pk for p in petitions]
    flags = petition_flags(ids=ids)
    people = _page_petitioners(ids) if ids else {}
    confidential = str(CONFIDENTIAL)
    link = detail_link("petitions:detail")
    # Each label translated once per call, not once per cell.
    forms, kinds, states, results, reasons, evaluations = (_labels(f) for f in (
        "form", "kind", "state", "reply_result", "close_reason", "evaluation"))
    rows = []
    for offset, p in enumerate(petitions):
        row_flags = flags.get(p.pk, {})
        index = "" if start is None else start + offset
        person = (p.row_handler_name if p.handler_id
                  else p.row_proxy_name if p.proxy_agent_id else "")
        # Accusations (检举控告类) keep the petitioner's identity confidential.
        petitioners = confidential if p.kind == PetitionKind.ACCUSATION else _petitioners_text(
            people.get(p.pk, []), p.people_count)
        rows.append({"petition": p, "url": link(p.pk),
                     "overdue": row_flags.get("overdue", False), "cells": [
            index, p.number, p.received_on.strftime("%Y-%m-%d"),
            f"{p.row_large_grid_name}·{p.row_small_grid_name}", petitioners,
            forms.get(p.form, p.form), kinds.get(p.kind, p.kind), p.subject,
            flags_display(p, row_flags), states.get(p.state, p.state), person,
            p.accept_due.strftime("%Y-%m-%d") if p.accept_due else "",
            p.reply_due.strftime("%Y-%m-%d") if p.reply_due else "",
            results.get(p.reply_result, p.reply_result) if p.reply_result else (
                reasons.get(p.close_reason, p.close_reason) if p.close_reason else ""),
            evaluation_display(p, evaluations), p.national_number,
        ]})
    return rows


def ledger_xlsx_file(petitions, progress=None):
    """The ledger as an .xlsx workbook in a temporary file (large exports: flat memory);
    ``progress(rows_so_far)`` after each chunk (the worker's progress bar)."""
    return ledger_workbook_file(_("信访台账"), LEDGER_HEADERS,
                                _rows_in_chunks(petitions, progress=progress), COLUMN_WIDTHS)


def _rows_in_chunks(petitions, size: int = 500, progress=None):
    """The ledger's cells, ``size`` petitions at a time (one cursor, fixed queries a chunk)."""
    chunk, start = [], 1
    for p in petitions.iterator(chunk_size=size):
        chunk.append(p)
        if len(chunk) == size:
            yield from (row["cells"] for row in ledger_rows(chunk, start=start))
            start += len(chunk)
            chunk = []
            if progress:
                progress(start - 1)
    yield from (row["cells"] for row in ledger_rows(chunk, start=start))
    if progress:
        progress(start - 1 + len(chunk))
