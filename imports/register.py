"""Petition registers (信访登记簿): each concluded row read, checked and turned into the
arguments of ``petitions.services.petition_import_historical``, without writing anything.

Only replied or closed matters are taken over; a row without a reply date is an error (such a
matter is registered in the system, where its limits run). Rows are matched against the town's
petitions by number, else by a content key (day received, grid, petitioners, subject).
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from petitions.models import Petition, Petitioner
from petitions.services.intake import MAX_REPRESENTATIVES
from petitions.states import GROUP_SIZE, PetitionForm, PetitionKind, ReplyResult

from . import values
from .ledger import TownIndex, _pick
from .reader import cell_text, normalise

PERSON_CHECKS = {name: Petitioner._meta.get_field(name).validators
                 for name in ("name", "phone", "id_number")}
FORM_WORDS = [("信", PetitionForm.LETTER), ("网", PetitionForm.ONLINE),
              ("电话", PetitionForm.PHONE), ("访", PetitionForm.VISIT)]
KIND_WORDS = [("建议", PetitionKind.SUGGESTION), ("意见", PetitionKind.SUGGESTION),
              ("检举", PetitionKind.ACCUSATION), ("控告", PetitionKind.ACCUSATION),
              ("举报", PetitionKind.ACCUSATION), ("申诉", PetitionKind.CLAIM),
              ("求决", PetitionKind.CLAIM)]
RESULT_WORDS = [("不支持", ReplyResult.NOT_SUPPORT), ("支持", ReplyResult.SUPPORT),
                ("解释", ReplyResult.EXPLAIN)]


class PetitionIndex(TownIndex):
    """The town's grids, and its petitions' numbers instead of its disputes'."""

    def __init__(self, town, *, known_keys: set[str]):
        super().__init__(town, known_keys=known_keys)
        self.numbers = set(Petition.objects.filter(town=town).values_list("number", flat=True))


def _word(text: str, words, default):
    return next((value for word, value in words if word in text), default)


def read_row(index: PetitionIndex, mapping: list[str], row_number: int, row: tuple):
    from .ledger import LedgerRow

    result = LedgerRow(row_number=row_number, original=row)
    cells = _pick(mapping, row)
    errors = result.errors

    attempt = values.attempting(errors)

    received_on = attempt(values.parse_date, cells.get("received_on"))
    replied_on = attempt(values.parse_date, cells.get("replied_on"))
    closed_on = attempt(values.parse_date, cells.get("closed_on"))
    if received_on is None and not errors:
        errors.append(_("请填写收到日期"))
    if replied_on is None and not errors:
        errors.append(_("未答复的信访事项请在系统中登记，不能导入"))
    small_grid = attempt(index.grid_for, cell_text(cells.get("grid")))
    people = attempt(values.parse_int, cells.get("people_count"))
    names = values.split_list(cells.get("petitioners"))
    phones = values.split_list(cell_text(cells.get("phones")))
    ids = values.split_list(cell_text(cells.get("id_numbers")))
    if not names:
        errors.append(_("请填写信访人"))
    petitioners = []
    for i, name in enumerate(names):
        data = {"name": name, "phone": phones[i] if i < len(phones) else "",
                "id_number": (ids[i] if i < len(ids) else "").upper()}
        values.check_person(data, PERSON_CHECKS, errors)
        petitioners.append(data)
    if received_on and replied_on and replied_on < received_on:
        errors.append(_("答复日期早于收到日期"))
    if replied_on and closed_on and closed_on < replied_on:
        errors.append(_("办结日期早于答复日期"))
    subject = cell_text(cells.get("subject"))
    content = cell_text(cells.get("content")) or subject
    if not subject and not content:
        errors.append(_("请填写信访事项"))
    result.number = cell_text(cells.get("number"))
    if errors:
        return result
    satisfied_text = cell_text(cells.get("satisfied"))
    satisfied = (None if not satisfied_text
                 else not any(word in satisfied_text for word in ("不", "否", "未")))
    people = max(people or 0, len(petitioners), 1)
    # A group of five or more names representatives, at most five (信访工作条例 第十八条): a
    # register lists them first.
    for i, person in enumerate(petitioners):
        person["is_representative"] = people >= GROUP_SIZE and i < MAX_REPRESENTATIVES
    result.data = {
        "small_grid": small_grid, "petitioners": petitioners, "number": result.number,
        "received_on": received_on, "replied_on": replied_on, "closed_on": closed_on,
        "form": _word(cell_text(cells.get("form")), FORM_WORDS, PetitionForm.VISIT).value,
        "kind": _word(cell_text(cells.get("kind")), KIND_WORDS, PetitionKind.CLAIM).value,
        "subject": (subject or content[:30])[:120], "content": content,
        "people_count": people,
        "reply_decision": cell_text(cells.get("reply")),
        "reply_result": _word(cell_text(cells.get("reply")), RESULT_WORDS, ""),
        "satisfied": satisfied,
    }
    if result.data["reply_result"]:
        result.data["reply_result"] = result.data["reply_result"].value
    text = "|".join([received_on.isoformat(), str(small_grid.pk),
                     ",".join(sorted(p["name"] for p in petitioners)), normalise(subject)])
    result.key = hashlib.sha256(text.encode()).hexdigest()
    if result.number:
        result.present = result.number in index.numbers or result.number in index.seen_numbers
        index.seen_numbers.add(result.number)
    else:
        result.present = result.key in index.keys or result.key in index.seen_keys
    index.seen_keys.add(result.key)
    return result
