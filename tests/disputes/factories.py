"""Dispute cases made the way users make them: through the services.

Every helper takes the acting user explicitly (``by=``), so a test reads like what happened:
``make_dispute(by=gm01)``, ``escalate_to(dispute, "grid_leader")``.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from disputes import services
from disputes.models import Dispute
from grid.models import SmallGrid, Staff

# A mobile number and resident ID numbers whose check digit is right (GB 11643).
PHONE = "13812345678"
ID_NUMBER = "620823198001011239"
ID_NUMBER_X = "11010519491231002X"


def demo_small_grid(large_grid: int = 1, number: int = 1) -> SmallGrid:
    """A demo small grid by its large grid's number and its own (gm01 holds 1/1, gm02 2/1)."""
    return SmallGrid.objects.select_related("large_grid").get(
        large_grid__town__code="620823103", large_grid__number=large_grid, number=number)


def staff_of(user) -> Staff:
    return Staff.objects.get(user=user)


def user(username: str):
    return get_user_model().objects.get(username=username)


def party(**overrides) -> dict:
    data = {"name": "张三丰", "role": "applicant", "gender": "male", "ethnicity": "汉族",
            "age": 52, "occupation": "农民", "address": "黄寨村一组", "phone": PHONE,
            "id_number": ID_NUMBER}
    data.update(overrides)
    return data


def respondent(**overrides) -> dict:
    return party(**{"name": "李四", "role": "respondent", "phone": "13900001111",
                    "id_number": "", **overrides})


def make_dispute(*, by, small_grid: SmallGrid | None = None, parties: list[dict] | None = None,
                 **overrides) -> Dispute:
    """Log a case through intake, in large grid 1's first small grid unless told otherwise."""
    fields = {"title": "王某与李某排水沟纠纷", "description": "雨水流入邻家院落，双方争吵。",
              "category": "neighbour", "source": "screening", "risk_level": "blue"}
    fields.update(overrides)
    return services.dispute_create(
        by=by, small_grid=small_grid or demo_small_grid(),
        parties=parties if parties is not None else [party(), respondent()], **fields)


# What the handler of a new case may do at the first tier (disputes.actions, in order).
FIRST_TIER_ACTIONS = ["escalate", "resolve", "terminate", "record_consent", "notify_rights",
                      "extend_mediation", "mark_priority", "withdraw"]


def actor_at_tier(dispute: Dispute):
    """The login of whoever handles the case now (the demo gives every handler here one)."""
    dispute.refresh_from_db()
    return dispute.handler.user


def escalate_to(dispute: Dispute, state: str, *, mediator: Staff | None = None) -> Dispute:
    """Climb the ladder one tier at a time, each step taken by the tier's handler."""
    order = ["grid_member", "mediator", "grid_leader", "chair"]
    while dispute.state != state:
        assert order.index(state) > order.index(dispute.state), (dispute.state, state)
        services.dispute_escalate(
            dispute=dispute, by=actor_at_tier(dispute), note="当面劝解未果，提请上一级调解。",
            mediator=mediator if dispute.state == "grid_member" else None)
        dispute.refresh_from_db()
    return dispute


def oral_agreement(**overrides) -> dict:
    data = {"kind": "oral", "terms": "双方互相道歉，今后和睦相处。",
            "signed_on": timezone.localdate()}
    data.update(overrides)
    return data


def written_agreement(**overrides) -> dict:
    today = timezone.localdate()
    data = {"kind": "written", "facts": "王某修建排水沟，雨水流入李某院落。",
            "points_in_dispute": "排水沟走向及改建费用", "terms": "共同出资改建排水沟，王某承担六成。",
            "responsibilities": "王某承担主要责任，李某承担次要责任。",
            "performance_method": "现金一次性支付", "performance_place": "黄寨村村委会",
            "performance_deadline": today + datetime.timedelta(days=15), "signed_on": today}
    data.update(overrides)
    return data


def notify_rights(dispute: Dispute, *, by=None) -> Dispute:
    """Record that the parties were told their rights (needed before a written agreement)."""
    services.dispute_notify_rights(dispute=dispute, by=by or actor_at_tier(dispute),
                                   notified_on=timezone.localdate(), method="written")
    dispute.refresh_from_db()
    return dispute


def resolve(dispute: Dispute, *, by=None, agreement: dict | None = None,
            written_required: bool = False) -> Dispute:
    """Resolve ``dispute``; before a written agreement the parties' rights notice is recorded
    first, as the rules require."""
    if (agreement or {}).get("kind") == "written":
        if dispute.rights_notified_on is None:
            notify_rights(dispute, by=by)
        # The signer must be a people's mediator of the committee that mediated: name the
        # village's first one when the handler is not.
        if not agreement.get("mediator") and services.signing_committee(
                dispute=dispute, staff=dispute.handler) is None:
            agreement = {**agreement,
                         "mediator": services.eligible_mediators(dispute=dispute).first()}
    services.dispute_resolve(dispute=dispute, by=by or actor_at_tier(dispute),
                             outcome="双方达成协议，纠纷化解。",
                             agreement=agreement or oral_agreement(),
                             written_required=written_required)
    dispute.refresh_from_db()
    return dispute


def follow_up(dispute: Dispute, *, by, kept: bool) -> Dispute:
    services.dispute_followup(dispute=dispute, by=by, visited_on=timezone.localdate(),
                              visitor=staff_of(by), agreement_kept=kept,
                              note="" if kept else "对方未按期付款。")
    dispute.refresh_from_db()
    return dispute
