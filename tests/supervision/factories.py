"""Supervision notices made the way leadership makes them: through the services.

Every helper takes the acting user explicitly (``by=``), so a test reads like what happened:
``issue(by=leader)``, ``acknowledged(notice, by=gl01)``, ``reported(notice, by=gl01)``.
"""

from __future__ import annotations

import datetime

from grid.models import LargeGrid, Town
from supervision import services
from supervision.models import SupervisionNotice
from tests.disputes.factories import staff_of, user

__all__ = ["staff_of", "user"]

DAY = datetime.timedelta(days=1)


def demo_town() -> Town:
    return Town.objects.get(code="620823103")


def large_grid(number: int = 1) -> LargeGrid:
    """A demo large grid by number: 1 is 黄寨村 (gl01's), 2 is 马寨村 (gl02's)."""
    return LargeGrid.objects.get(town__code="620823103", number=number)


def four_fixes(**overrides) -> dict:
    """Everything ``notice_issue`` needs besides ``by`` and ``town``: a supervision notice to
    large grid 1, leader in charge ``leader``, responsible person ``gl01``."""
    data = {"kind": "supervision", "title": "黄寨村宅基地边界纠纷督办",
            "situation": "两户因宅基地边界多次争吵，有激化苗头。",
            "leader_in_charge": staff_of(user("leader")),
            "measures": "村委会牵头，司法所配合，现场勘界并组织调解。",
            "responsible": staff_of(user("gl01")), "urgency": "ordinary",
            "target_large_grids": [large_grid(1)]}
    data.update(overrides)
    return data


def in_charge_of_village(login, number: int = 1):
    """``login``'s staff row, made also the section-level leader in charge (包村) of large grid
    ``number``, so that it may be a notice's leader in charge (``leader_in_charge_candidates``)."""
    from grid.models import Role
    from grid.services import role_assign

    staff = staff_of(login)
    role_assign(staff=staff, role=Role.SECTION_LEADER, scope_object=large_grid(number))
    return staff


def issue(*, by, **overrides) -> SupervisionNotice:
    return services.notice_issue(by=by, town=demo_town(), **four_fixes(**overrides))


def acknowledged(notice: SupervisionNotice, *, by) -> SupervisionNotice:
    services.notice_acknowledge(notice=notice, by=by)
    notice.refresh_from_db()
    return notice


def reported(notice: SupervisionNotice, *, by, **fields) -> SupervisionNotice:
    fields = {"result": "已现场勘界，双方签字确认边界。", **fields}
    services.notice_report(notice=notice, by=by, **fields)
    notice.refresh_from_db()
    return notice


def verified(notice: SupervisionNotice, *, by) -> SupervisionNotice:
    services.notice_verify(notice=notice, by=by, facts_checked=True, problem_solved=True,
                           measures_lawful=True, opinion="经核实，问题已解决。")
    notice.refresh_from_db()
    return notice


def returned(notice: SupervisionNotice, *, by, new_deadline: datetime.datetime
             ) -> SupervisionNotice:
    services.notice_return(notice=notice, by=by, opinion="边界协议未经双方签字，退回重办。",
                           new_deadline=new_deadline, facts_checked=True, problem_solved=False,
                           measures_lawful=True)
    notice.refresh_from_db()
    return notice


def set_deadline(notice: SupervisionNotice, deadline: datetime.datetime) -> SupervisionNotice:
    """Move a notice's deadline (as if it had been issued earlier); no service sets a past one."""
    SupervisionNotice.objects.filter(pk=notice.pk).update(deadline=deadline)
    notice.refresh_from_db()
    return notice


# --- Petitions, for the alerts and the tracing -----------------------------------------------------

def petitioner(**overrides) -> dict:
    data = {"name": "王建设", "gender": "male", "ethnicity": "汉族", "age": 55,
            "occupation": "农民", "address": "黄寨村二组", "phone": "13812345678",
            "id_number": "620823198001011239"}
    data.update(overrides)
    return data


def group_of(n: int) -> list[dict]:
    """``n`` petitioners coming together, the first of them (and four more) representatives."""
    return [petitioner(is_representative=True)] + [
        petitioner(name=f"村民{i}", phone=f"1399330{i:04d}", id_number="",
                   is_representative=i < 5) for i in range(1, n)]


def make_petition(*, by, petitioners: list[dict] | None = None, **overrides):
    """Register a claim in large grid 1's first small grid (gm01's) through intake."""
    from petitions import services as petition_services
    from tests.disputes.factories import demo_small_grid

    fields = {"form": "visit", "kind": "claim", "subject": "要求解决承包地灌溉渠堵塞问题",
              "content": "灌溉渠被邻村堵塞，春灌无法进行。"}
    fields.update(overrides)
    return petition_services.petition_create(
        by=by, small_grid=demo_small_grid(),
        petitioners=petitioners if petitioners is not None else [petitioner()], **fields)


def replied_petition(*, by):
    """A petition registered, accepted and answered today by ``by`` (its grid member)."""
    from petitions import services as petition_services

    petition = make_petition(by=by)
    petition_services.petition_accept(petition=petition, by=by)
    petition.refresh_from_db()
    petition_services.petition_reply(
        petition=petition, by=by, request="要求疏通灌溉渠", facts="经现场查看，灌溉渠确被堵塞。",
        decision="责成邻村三日内疏通。", basis="《中华人民共和国农业法》", result="support",
        category="solved")
    petition.refresh_from_db()
    return petition
