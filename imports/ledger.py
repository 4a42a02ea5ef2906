"""Dispute ledgers (矛盾纠纷摸排台账): each row read, checked and turned into the arguments of
``disputes.services.dispute_import_historical``, without writing anything.

Rows are checked as intake checks them (names, 11-digit mobiles, resident IDs with their check
digit; the fifteen categories; the town's grids, with suggestions for a name not found), and
matched against what the town already has: by number when the register gives one, else by a
content key (day found, grid, parties, category, description), so that importing the same
register again adds nothing.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from disputes.models import Dispute, Party
from disputes.states import DisputeState
from grid.models import SmallGrid, Staff

from . import values
from .reader import cell_text, normalise

MAX_PARTIES = 20
PARTY_CHECKS = {name: Party._meta.get_field(name).validators for name in ("name", "phone",
                                                                             "id_number")}


@dataclass
class LedgerRow:
    """One data row: where it is, what it says, what it would land as, what is wrong."""

    row_number: int
    original: tuple
    data: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    number: str = ""
    key: str = ""
    present: bool = False  # already in the town (same number or same content)

    @property
    def ok(self) -> bool:
        return not self.errors


class TownIndex:
    """What the rows are matched against, loaded once per import: the town's grids and
    staff by name, the numbers and content keys already there."""

    def __init__(self, town, *, known_keys: set[str]):
        self.town = town
        self.grids: dict[str, SmallGrid] = {}
        for grid in (SmallGrid.objects.filter(large_grid__town=town)
                     .select_related("large_grid").order_by("-large_grid__number", "-number")):
            # The first small grid of a large grid stands for the village as a whole.
            for name in (grid.large_grid.name, grid.description, grid.name):
                if name:
                    self.grids[normalise(name)] = grid
        self.staff = {person.name: person for person in Staff.objects.filter(town=town)}
        self.numbers = set(Dispute.objects.filter(town=town).values_list("number", flat=True))
        self.keys = set(known_keys)
        self.seen_numbers: set[str] = set()
        self.seen_keys: set[str] = set()

    def grid_for(self, text: str) -> SmallGrid:
        name = normalise(text)
        if not name:
            raise ValueError(_("请填写所属网格或村"))
        if name in self.grids:
            return self.grids[name]
        # "黄寨村3组张家" → the longest known name inside the cell.
        inside = [k for k in self.grids if k and k in name]
        if inside:
            return self.grids[max(inside, key=len)]
        close = difflib.get_close_matches(name, list(self.grids), n=3, cutoff=0.5)
        if close:
            raise ValueError(_("本镇没有网格“%(value)s”，是否为：%(close)s？") % {
                "value": text, "close": "、".join(close)})
        raise ValueError(_("本镇没有网格“%(value)s”") % {"value": text})


def content_key(*, found_on, small_grid_id, parties, category, description) -> str:
    text = "|".join([found_on.isoformat(), str(small_grid_id), ",".join(sorted(parties)),
                     category, normalise(description)[:200]])
    return hashlib.sha256(text.encode()).hexdigest()


def _pick(mapping: list[str], row: tuple) -> dict[str, object]:
    picked = {}
    for key, value in zip(mapping, row, strict=False):
        if key and key not in picked:
            picked[key] = value
    return picked


def _parties(cells: dict) -> tuple[list[dict], list[str]]:
    names = values.split_list(cells.get("parties"))[:MAX_PARTIES]
    phones = values.split_list(cell_text(cells.get("phones")))
    ids = values.split_list(cell_text(cells.get("id_numbers")))
    errors = []
    if not names:
        return [], [_("请填写当事人")]
    if len(phones) > len(names) or len(ids) > len(names):
        errors.append(_("电话或身份证号多于当事人人数"))
    parties = []
    for i, name in enumerate(names):
        data = {"name": name, "role": Party.PartyRole.APPLICANT if i == 0
                else Party.PartyRole.RESPONDENT,
                "phone": phones[i] if i < len(phones) else "",
                "id_number": (ids[i] if i < len(ids) else "").upper()}
        values.check_person(data, PARTY_CHECKS, errors)
        parties.append(data)
    return parties, errors


def read_row(index: TownIndex, mapping: list[str], row_number: int, row: tuple) -> LedgerRow:
    """Check one row and work out what it lands as; never writes."""
    result = LedgerRow(row_number=row_number, original=row)
    cells = _pick(mapping, row)
    errors = result.errors

    attempt = values.attempting(errors)

    found_on = attempt(values.parse_date, cells.get("found_on"))
    if found_on is None and not errors:
        errors.append(_("请填写发现日期"))
    ended_on = attempt(values.parse_date, cells.get("ended_on"))
    small_grid = attempt(index.grid_for, cell_text(cells.get("grid")))
    category = attempt(values.parse_category, cells.get("category"))
    risk = attempt(values.parse_risk, cells.get("risk_level"))
    state = attempt(values.parse_outcome, cells.get("result"), ended=ended_on is not None)
    tier = attempt(values.parse_tier, cells.get("tier"))
    people = attempt(values.parse_int, cells.get("people_involved"))
    amount = attempt(values.parse_int, cells.get("amount_at_stake"))
    parties, party_errors = _parties(cells)
    errors.extend(party_errors)
    if found_on and ended_on and ended_on < found_on:
        errors.append(_("办结日期早于发现日期"))

    description = cell_text(cells.get("description"))
    title = cell_text(cells.get("title"))
    if not title:
        label = dict(Dispute._meta.get_field("category").choices).get(category, "")
        # Not the parties' names: titles are shown unmasked in lists.
        title = description[:30] or f"{label}纠纷"
    if not description:
        description = title
    outcome_parts = [(_("化解措施"), cells.get("measures")), (_("化解结果"), cells.get("result")),
                     (_("调解人"), cells.get("mediator")), (_("包抓领导"), cells.get("leader"))]
    outcome = "；".join(f"{label}：{cell_text(v)}" for label, v in outcome_parts if cell_text(v))
    mediator = cell_text(cells.get("mediator"))
    handler = index.staff.get(values.split_list(mediator)[0]) if mediator else None
    result.number = cell_text(cells.get("number"))
    if errors:
        return result
    if state == DisputeState.GRID_MEMBER:
        state = tier
    if state == DisputeState.TERMINATED and cell_text(cells.get("referred_to")):
        # "调解不成" with a receiving unit: the matter went on there (a referral), not ended.
        state = DisputeState.REFERRED
    result.data = {
        "small_grid": small_grid, "state": state, "tier": tier, "parties": parties,
        "number": result.number, "ended_on": ended_on, "outcome": outcome,
        "referred_to": values.parse_referral(cells.get("referred_to"))
        if state == DisputeState.REFERRED else "",
        "handler": handler,
        "title": title[:120], "description": description, "category": category,
        "found_at": found_on, "risk_level": risk, "people_involved": people or max(len(parties), 1),
        "amount_at_stake": amount,
    }
    result.key = content_key(found_on=found_on, small_grid_id=small_grid.pk,
                             parties=[p["name"] for p in parties], category=category,
                             description=description)
    if result.number:
        result.present = result.number in index.numbers or result.number in index.seen_numbers
        index.seen_numbers.add(result.number)
    else:
        result.present = result.key in index.keys or result.key in index.seen_keys
    index.seen_keys.add(result.key)
    return result
