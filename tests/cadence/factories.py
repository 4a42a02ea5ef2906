"""A second town of the cadence tests' own, so that hand counts are not disturbed by the demo
town's cases, reports and stored sweeps; and helpers that set a case's history to exact times.

The organisation has no write service, so towns and grids are created the way ``grid.demo``
creates them; people get their roles through ``grid.services.role_assign``. Every assignment
starts on 2020-01-01, so the town works whatever day a test sets the clock to.
"""

from __future__ import annotations

import datetime
import itertools
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from disputes import services as dispute_services
from disputes.models import Dispute, DisputeEvent
from grid.models import County, LargeGrid, MediationCommittee, Role, SmallGrid, Town
from tests.grid.factories import staff_with_role

SHANGHAI = ZoneInfo("Asia/Shanghai")
SINCE = datetime.date(2020, 1, 1)
_codes = itertools.count(1)


def at(year, month, day, hour=0, minute=0, second=0) -> datetime.datetime:
    """An aware datetime in Asia/Shanghai, the time zone every period is counted in."""
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def town_build(*, name: str = "清风镇", large_grids: int = 2, small_grids: int = 2
               ) -> SimpleNamespace:
    """A town of the demo county: ``large_grids`` villages of ``small_grids`` grids each, a
    grid member per small grid, a grid leader and a village committee (chair, mediator) per
    large grid, the town committee (chair, mediator), town leadership and the governance and
    petition offices, each with a login.

    ``t.sg[i][j]`` is small grid j+1 of large grid i+1; ``t.gm[i][j]`` its grid member (a user);
    ``t.gl[i]`` the grid leader of large grid i+1.
    """
    county = County.objects.get(code="620823")
    code = f"6208239{next(_codes):02d}"
    town = Town.objects.create(county=county, name=name, short_name=name[:2], code=code)
    town_committee = MediationCommittee.objects.create(
        town=town, level=MediationCommittee.Level.TOWN, name=f"{name}人民调解委员会")
    lgs, sgs, gms, gls = [], [], [], []
    for i in range(1, large_grids + 1):
        lg = LargeGrid.objects.create(town=town, number=i, name=f"{name[:2]}{i}村")
        committee = MediationCommittee.objects.create(
            town=town, level=MediationCommittee.Level.VILLAGE, large_grid=lg,
            name=f"{lg.name}人民调解委员会")
        row = [SmallGrid.objects.create(large_grid=lg, number=j, name=f"{lg.name}第{j}网格")
               for j in range(1, small_grids + 1)]
        lgs.append(lg)
        sgs.append(row)
        gms.append([staff_with_role(Role.GRID_MEMBER, sg, town=town, starts_on=SINCE)
                    for sg in row])
        gls.append(staff_with_role(Role.GRID_LEADER, lg, town=town, starts_on=SINCE))
        staff_with_role(Role.MEDIATOR, committee, town=town, starts_on=SINCE)
    return SimpleNamespace(
        town=town, county=county, lg=lgs, sg=sgs, gm=gms, gl=gls,
        town_committee=town_committee,
        chair=staff_with_role(Role.COMMITTEE_CHAIR, town_committee, town=town, starts_on=SINCE),
        leader=staff_with_role(Role.TOWN_LEADERSHIP, town, town=town, starts_on=SINCE),
        office=staff_with_role(Role.GOVERNANCE_OFFICE, town, town=town, starts_on=SINCE),
        petition_office=staff_with_role(Role.PETITION_OFFICE, town, town=town, starts_on=SINCE),
    )


_respondents = itertools.count(1)


def parties(name: str = "赵一") -> list[dict]:
    """The applicant ``name`` and a respondent of a name no other case has."""
    return [{"name": name, "role": "applicant", "gender": "male", "age": 40,
             "phone": "13812345678"},
            {"name": f"对方{next(_respondents)}", "role": "respondent", "gender": "female",
             "age": 38, "phone": "13900001111"}]


def dispute(t: SimpleNamespace, *, found_at: datetime.datetime, grid=(0, 0),
            category: str = "neighbour", party: str = "赵一", **fields) -> Dispute:
    """A case logged through intake by the small grid's grid member, found at ``found_at``."""
    i, j = grid
    return dispute_services.dispute_create(
        by=t.gm[i][j], small_grid=t.sg[i][j], parties=parties(party),
        **{"title": f"{party}相邻纠纷", "description": "因排水问题争吵。", "category": category,
           "source": "screening", "risk_level": "blue", "found_at": found_at, **fields})


def climb(t, case: Dispute, to: str) -> Dispute:
    """Escalate tier by tier to ``to``; leadership takes each step (it may at every tier)."""
    order = ["grid_member", "mediator", "grid_leader", "chair"]
    while case.state != to:
        dispute_services.dispute_escalate(dispute=case, by=t.leader, note="调解未果，提请上一级。")
        case.refresh_from_db()
        assert order.index(case.state) <= order.index(to)
    return case


def resolve(t, case: Dispute) -> Dispute:
    dispute_services.dispute_resolve(dispute=case, by=t.leader, outcome="双方和解。")
    case.refresh_from_db()
    return case


def escalate_urgent(t, case: Dispute) -> Dispute:
    dispute_services.dispute_escalate_urgent(dispute=case, by=t.leader,
                                             justification="红色风险，可能激化。")
    case.refresh_from_db()
    return case


def void(t, case: Dispute) -> Dispute:
    dispute_services.dispute_void(dispute=case, by=t.leader, reason="重复登记。")
    case.refresh_from_db()
    return case


def refer(t, case: Dispute, target: str = "court") -> Dispute:
    dispute_services.dispute_refer(dispute=case, by=t.leader, target=target, note="移交法院。")
    case.refresh_from_db()
    return case


def set_history(case: Dispute, *times: datetime.datetime) -> Dispute:
    """Put the case's history rows (in the order written) at ``times``, and its resolved or
    referred stamp at the time of the row that set it."""
    events = list(case.events.order_by("id"))
    assert len(events) == len(times), (len(events), len(times))
    for event, when in zip(events, times, strict=True):
        DisputeEvent.objects.filter(pk=event.pk).update(created_at=when)
    last = events[-1]
    stamps = {"resolve": "resolved_at", "refer": "referred_at"}
    if last.action in stamps:
        Dispute.objects.filter(pk=case.pk).update(**{stamps[last.action]: times[-1]})
    case.refresh_from_db()
    return case


# --- Petitions and supervision notices, through their services ---------------------------------

def petition(t, *, grid=(0, 0), petitioners: list[dict] | None = None, **fields):
    """A petition registered by the small grid's grid member (received today by the clock)."""
    from petitions import services as petition_services
    from tests.petitions.factories import petitioner

    i, j = grid
    data = {"form": "visit", "kind": "claim", "subject": "要求解决灌溉渠堵塞问题",
            "content": "灌溉渠被堵塞，春灌无法进行。", **fields}
    return petition_services.petition_create(
        by=t.gm[i][j], small_grid=t.sg[i][j],
        petitioners=petitioners if petitioners is not None else [petitioner()], **data)


def notice(t, **overrides):
    """A supervision notice issued by the town's leadership to village 1's grid leader."""
    from supervision import services as notice_services

    data = {"kind": "supervision", "title": "宅基地边界纠纷督办", "situation": "两户多次争吵。",
            "leader_in_charge": t.leader.staff, "measures": "村委会牵头调解。",
            "responsible": t.gl[0].staff, "urgency": "ordinary",
            "target_large_grids": [t.lg[0]], **overrides}
    return notice_services.notice_issue(by=t.leader, town=t.town, **data)


def notice_verified(t, n):
    """Acknowledged, reported and verified now (by the clock)."""
    from supervision import services as notice_services

    notice_services.notice_acknowledge(notice=n, by=t.gl[0])
    n.refresh_from_db()
    notice_services.notice_report(notice=n, by=t.gl[0], result="已调解。",
                                  shortfall="逾期原因：当事人外出。")
    n.refresh_from_db()
    notice_services.notice_verify(notice=n, by=t.leader, facts_checked=True,
                                  problem_solved=True, measures_lawful=True, opinion="属实。")
    n.refresh_from_db()
    return n
