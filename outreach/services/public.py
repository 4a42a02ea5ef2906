"""The public query page's rules (``/q/``): a code and the last four digits of a party's
phone open one case's progress; a wrong code and a wrong phone get the same refusal; every
look-up is logged; too many per code or per address are refused (429).

What the page may show is decided here (``progress``): states and dates, the next due date,
the handling unit. Never a name, a number or a note: the other party may be the one asking.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.querycode import normalise
from disputes.models import Dispute, DisputeState
from disputes.services.records import EVALUABLE_STATES
from petitions.models import Petition, PetitionState

from ..models import PublicLookup

WINDOW = 3600  # seconds: the throttles count per hour


def throttled(key: str, limit: int) -> bool:
    """Count one request under ``key``; True once more than ``limit`` came in the window."""
    cache_key = f"outreach:throttle:{key}"
    if cache.add(cache_key, 1, WINDOW):
        return limit < 1
    try:
        return cache.incr(cache_key) > limit
    except ValueError:  # expired between the two calls
        cache.add(cache_key, 1, WINDOW)
        return False


def lookup_throttled(*, code: str, address: str | None) -> bool:
    """Per code and per address (both counted on every attempt)."""
    by_code = throttled(f"code:{code}", settings.PUBLIC_LOOKUPS_PER_HOUR)
    by_address = throttled(f"addr:{address}", settings.PUBLIC_ADDRESS_PER_HOUR)
    return by_code or by_address


def log_lookup(*, kind: str, code: str = "", address=None, case=None,
               refused: bool = False) -> PublicLookup:
    return PublicLookup.objects.create(
        kind=kind, code=code[:20], address=address, matched=case is not None,
        throttled=refused, dispute=case if isinstance(case, Dispute) else None,
        petition=case if isinstance(case, Petition) else None)


def _people(case):
    return case.parties.all() if isinstance(case, Dispute) else case.petitioners.all()


def case_for(*, code: str, phone_last4: str):
    """The dispute or petition with ``code`` one of whose parties' phones ends in
    ``phone_last4``; None otherwise (whichever part was wrong)."""
    code = normalise(code)
    last4 = (phone_last4 or "").strip()
    if not code or len(last4) != 4 or not last4.isdigit():
        return None
    for model in (Dispute, Petition):
        case = (model.objects.select_related("town", "small_grid__large_grid")
                .filter(query_code=code).first())
        if case is not None:
            if any(p.phone and p.phone.endswith(last4) for p in _people(case)):
                return case
            return None
    return None


def matching_phones(case, phone_last4: str) -> list[str]:
    """The numbers of ``case``'s people ending in ``phone_last4`` (the one asking)."""
    return [p.phone for p in _people(case) if p.phone and p.phone.endswith(phone_last4)]


@dataclass
class Progress:
    """What the query page shows: nothing that names or reaches a person."""

    kind: str
    number: str
    state: str
    unit: str
    steps: list[tuple[datetime.datetime, str]] = field(default_factory=list)
    dues: list[tuple[str, datetime.date]] = field(default_factory=list)
    can_evaluate: bool = False
    evaluation: str = ""


def progress(case) -> Progress:
    if isinstance(case, Dispute):
        return _dispute_progress(case)
    return _petition_progress(case)


def _dispute_progress(d: Dispute) -> Progress:
    village = d.small_grid.large_grid.name
    if d.state in (DisputeState.GRID_MEMBER, DisputeState.MEDIATOR, DisputeState.GRID_LEADER):
        unit = _("%(village)s人民调解委员会") % {"village": village}
    else:
        unit = _("%(town)s人民调解委员会") % {"town": d.town.name}
    steps = [(e.created_at, e.get_action_display()) for e in d.events.all()
             if e.action not in ("attachment", "session", "imported", "reassign")]
    dues = []
    if d.is_open and d.tier_due_at:
        dues.append((_("本级办理期限"), timezone.localtime(d.tier_due_at).date()))
    if d.is_open and d.mediation_due:
        dues.append((_("调解期限"), d.mediation_due))
    return Progress(kind=_("矛盾纠纷"), number=d.number, state=d.get_state_display(),
                    unit=unit, steps=steps, dues=dues,
                    can_evaluate=d.state in EVALUABLE_STATES and not d.evaluation,
                    evaluation=d.get_evaluation_display() if d.evaluation else "")


def _petition_progress(p: Petition) -> Progress:
    unit = (_("%(town)s信访办") % {"town": p.town.name} if p.state != PetitionState.GRID
            else _("%(village)s网格代办") % {"village": p.small_grid.large_grid.name})
    steps = [(e.created_at, e.get_action_display()) for e in p.events.all()
             if e.action in ("create", "accept", "decline", "escalate", "extend",
                             "approve_extension", "reply", "deliver", "close", "review",
                             "withdraw")]
    open_ = p.reply_due and p.state not in (PetitionState.REPLIED, PetitionState.CLOSED)
    return Progress(kind=_("信访事项"), number=p.number, state=p.get_state_display(),
                    unit=unit, steps=steps, dues=[(_("答复期限"), p.reply_due)] if open_ else [],
                    can_evaluate=bool(p.replied_on) and not p.evaluation,
                    evaluation=p.get_evaluation_display() if p.evaluation else "")
