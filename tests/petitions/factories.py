"""Petitions made the way users make them: through the services.

Every helper takes the acting user explicitly (``by=``), so a test reads like what happened:
``make_petition(by=gm01)``, ``accept(petition, by=gm01)``, ``to_town(petition)``.
Time moves with ``travel`` (tests/petitions/conftest.py), never by editing dates in the rows.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from grid.models import Staff
from petitions import services
from petitions.models import Petition
from tests.disputes.factories import demo_small_grid, staff_of, user

# A mobile number and resident ID numbers whose check digit is right (GB 11643).
PHONE = "13812345678"
ID_NUMBER = "620823198001011239"
ID_NUMBER_2 = "11010519491231002X"

__all__ = ["PHONE", "ID_NUMBER", "ID_NUMBER_2", "demo_small_grid", "staff_of", "user"]


def petitioner(**overrides) -> dict:
    data = {"name": "王建设", "gender": "male", "ethnicity": "汉族", "age": 55,
            "occupation": "农民", "address": "黄寨村二组", "phone": PHONE,
            "id_number": ID_NUMBER}
    data.update(overrides)
    return data


def representatives(n: int) -> list[dict]:
    """``n`` group representatives, each with a phone of their own and no resident ID."""
    return [petitioner(name=f"代表{i + 1}", phone=f"1399330{i:04d}", id_number="",
                       is_representative=True) for i in range(n)]


def make_petition(*, by, small_grid=None, petitioners: list[dict] | None = None,
                  **overrides) -> Petition:
    """Register a claim (申诉求决类) in large grid 1's first small grid unless told otherwise."""
    fields = {"form": "visit", "kind": "claim", "subject": "要求解决承包地灌溉渠堵塞问题",
              "content": "灌溉渠被邻村堵塞，春灌无法进行。"}
    fields.update(overrides)
    return services.petition_create(
        by=by, small_grid=small_grid or demo_small_grid(),
        petitioners=petitioners if petitioners is not None else [petitioner()], **fields)


def accept(petition: Petition, *, by) -> Petition:
    services.petition_accept(petition=petition, by=by)
    petition.refresh_from_db()
    return petition


def escalate(petition: Petition, *, by, note: str = "网格内协调未果，提请镇级协调。") -> Petition:
    services.petition_escalate(petition=petition, by=by, note=note)
    petition.refresh_from_db()
    return petition


def town_staff(title: str = "镇综治办干部2") -> Staff:
    """A town cadre who can be named the coordinator of a county matter."""
    return Staff.objects.get(title=title)


def assign_coordinator(petition: Petition, *, by, coordinator: Staff | None = None,
                       county_department: str = "县自然资源局") -> Petition:
    services.petition_assign_coordinator(petition=petition, by=by,
                                         coordinator=coordinator or town_staff(),
                                         county_department=county_department)
    petition.refresh_from_db()
    return petition


def reply_fields(**overrides) -> dict:
    data = {"request": "要求疏通灌溉渠", "facts": "经现场查看，灌溉渠确被堵塞。",
            "decision": "责成邻村三日内疏通。", "basis": "《中华人民共和国农业法》",
            "result": "support", "category": "solved"}
    data.update(overrides)
    return data


def reply(petition: Petition, *, by, **overrides) -> Petition:
    services.petition_reply(petition=petition, by=by, **reply_fields(**overrides))
    petition.refresh_from_db()
    return petition


def deliver(petition: Petition, *, by, on: datetime.date | None = None,
            method: str = "in_person") -> Petition:
    services.petition_deliver(petition=petition, by=by, delivered_on=on or timezone.localdate(),
                              method=method)
    petition.refresh_from_db()
    return petition


def replied(*, by, delivered: bool = True, **overrides) -> Petition:
    """A petition registered by ``by`` (a grid member), accepted and answered today, the
    written reply handed over in person the same day unless ``delivered=False``."""
    petition = reply(accept(make_petition(by=by, **overrides), by=by), by=by)
    return deliver(petition, by=by) if delivered else petition


def request_extension(petition: Petition, *, by, days: int = 30,
                      reason: str = "需调取档案核实") -> Petition:
    services.petition_request_extension(petition=petition, by=by, days=days, reason=reason)
    petition.refresh_from_db()
    return petition


def extend(petition: Petition, *, by, approver, days: int = 30) -> Petition:
    """Requested by ``by``, approved by ``approver`` (town leadership)."""
    request_extension(petition, by=by, days=days)
    services.petition_approve_extension(petition=petition, by=approver)
    petition.refresh_from_db()
    return petition


def request_review(petition: Petition, *, by, requested_on: datetime.date | None = None,
                   reviewing_body: str = "崇信县人民政府"):
    return services.petition_review_request(
        petition=petition, by=by, requested_on=requested_on or timezone.localdate(),
        reviewing_body=reviewing_body)


def answer_review(petition: Petition, *, by, answered_on: datetime.date | None = None,
                  upheld: bool = True):
    return services.petition_review_answer(
        petition=petition, by=by, answered_on=answered_on or timezone.localdate(),
        opinion="维持原处理意见。", upheld=upheld)
