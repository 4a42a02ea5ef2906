"""Responsibility tracing (责任倒查): a record opens by itself, once, when a notice
passes its deadline unverified, when a dispute kept past a tier deadline is referred to the
police for civil-to-criminal risk, and when a matter the town held goes above it or comes back
as a group petition; it names who held the matter and for how long, and only town leadership
sees it and records the finding."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from disputes.services import dispute_refer
from inbox.models import Notification
from petitions.services import petition_record_higher_visit
from supervision import services
from supervision.models import NoticeEvent, ResponsibilityTrace
from supervision.selectors import trace_list_for_user
from tests.disputes.factories import actor_at_tier, escalate_to, make_dispute

from .factories import (
    DAY,
    acknowledged,
    group_of,
    in_charge_of_village,
    issue,
    make_petition,
    petitioner,
    reported,
    set_deadline,
    staff_of,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
Trigger = ResponsibilityTrace.Trigger


def traces(**subject):
    return ResponsibilityTrace.objects.filter(**subject)


def backdate(events, *moments):
    """Give the history rows, in order, the moments they happened."""
    rows = list(events.order_by("created_at", "id"))
    assert len(rows) == len(moments), (len(rows), len(moments))
    for row, moment in zip(rows, moments, strict=True):
        type(row).objects.filter(pk=row.pk).update(created_at=moment)


def refer_to_police(dispute, *, by=None):
    dispute_refer(dispute=dispute, by=by or actor_at_tier(dispute), target="police",
                  note="当事人扬言报复，存在民转刑风险，移交派出所。")
    dispute.refresh_from_db()
    return dispute


# --- Who held the matter, and for how long ---------------------------------------------------------

def test_the_timeline_names_each_holder_and_the_hours_held(leader, gl01):
    notice = issue(by=leader)
    notice = acknowledged(notice, by=gl01)
    services.notice_progress(notice=notice, by=gl01, note="已现场勘界。")
    notice = reported(notice, by=gl01)
    t0 = timezone.now() - 4 * DAY
    backdate(notice.events, t0, t0 + 2 * HOUR, t0 + 20 * HOUR, t0 + 50 * HOUR)

    steps = services.holders_timeline(notice.events.select_related("handler"),
                                      until=t0 + 53 * HOUR)
    assert [(s["state"], s["holder"], s["hours"]) for s in steps] == [
        ("issued", staff_of(gl01).name, 2.0),
        # A progress note changes neither state nor holder: still one step.
        ("acknowledged", staff_of(gl01).name, 48.0),
        ("reported", staff_of(leader).name, 3.0),
    ]
    assert steps[0]["start"] == timezone.localtime(t0).strftime("%Y-%m-%d %H:%M")
    assert steps[1]["state_label"] == "已签收"
    assert steps[-1]["end"] == ""


# --- A notice overdue -------------------------------------------------------------------------------

def test_a_notice_past_its_deadline_unverified_opens_a_trace_once(leader, gl01, chair):
    notice = acknowledged(issue(by=leader, leader_in_charge=in_charge_of_village(chair)), by=gl01)
    NoticeEvent.objects.filter(notice=notice).update(created_at=timezone.now() - 5 * DAY)
    set_deadline(notice, timezone.now() - HOUR)
    services.deadline_alerts_sweep()
    trace = traces(notice=notice).get()
    assert trace.trigger == Trigger.NOTICE_OVERDUE
    assert (trace.town_id, trace.responsible, trace.leader) == (
        notice.town_id, staff_of(gl01), staff_of(chair))
    assert trace.subject_label == notice.number
    assert [(s["state"], s["holder"]) for s in trace.timeline] == [
        ("issued", staff_of(gl01).name), ("acknowledged", staff_of(gl01).name)]
    assert sum(s["hours"] for s in trace.timeline) >= 5 * 24
    assert Notification.objects.filter(recipient=leader, url=trace.get_absolute_url(),
                                       title__contains="责任倒查").count() == 1

    services.deadline_alerts_sweep()
    services.deadline_alerts_sweep(now=timezone.now() + 10 * DAY)
    assert services.trace_overdue_notice(notice) is None
    assert traces(notice=notice).count() == 1


def test_the_sweep_opens_many_notices_traces_in_the_same_queries_as_one(
        leader, gl01, chair):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def overdue(n):
        made = []
        for _ in range(n):
            notice = acknowledged(issue(by=leader, leader_in_charge=in_charge_of_village(chair)),
                                  by=gl01)
            set_deadline(notice, timezone.now() - HOUR)
            made.append(notice)
        return made

    def sweep():
        with CaptureQueriesContext(connection) as ctx:
            services.deadline_alerts_sweep()
        return len(ctx.captured_queries)

    one = overdue(1)
    few = sweep()
    many = overdue(6)
    assert sweep() == few
    assert traces(notice__in=one + many).count() == 7
    assert all(len(t.timeline) == 2 for t in traces(notice__in=many))


def test_a_notice_verified_in_time_opens_no_trace(leader, gl01):
    from .factories import verified

    notice = verified(reported(acknowledged(issue(by=leader), by=gl01), by=gl01), by=leader)
    services.deadline_alerts_sweep(now=notice.deadline + DAY)
    assert not traces(notice=notice).exists()


def test_the_demo_has_an_overdue_notice_with_its_trace(leader):
    trace = trace_list_for_user(user=leader).filter(trigger=Trigger.NOTICE_OVERDUE).first()
    assert trace is not None and trace.notice.is_overdue


# --- A dispute referred to the police after a tier deadline -----------------------------------------

def test_a_dispute_kept_past_the_grid_members_deadline_then_referred_to_police_is_traced(
        gm01, leader):
    dispute = make_dispute(by=gm01, risk_civil_to_criminal=True)
    backdate(dispute.events, timezone.now() - 5 * DAY)  # logged 5 days ago; 3 are allowed
    refer_to_police(dispute, by=gm01)
    assert dispute.state == "referred"
    trace = traces(dispute=dispute).get()
    assert trace.trigger == Trigger.CIVIL_TO_CRIMINAL
    assert trace.responsible == staff_of(gm01)  # who held it when the deadline passed
    assert trace.leader == staff_of(leader)  # 黄寨村's 包片 Party committee member
    first = trace.timeline[0]
    assert (first["state"], first["holder"]) == ("grid_member", staff_of(gm01).name)
    assert 119.9 <= first["hours"] <= 120.1
    assert trace.timeline[-1]["state"] == "referred"
    assert services.trace_referred_to_police(dispute) is None
    assert traces(dispute=dispute).count() == 1


def test_the_trace_names_the_tier_that_let_the_deadline_pass(gm01, leader):
    dispute = escalate_to(make_dispute(by=gm01, risk_civil_to_criminal=True), "mediator")
    mediator = dispute.handler
    now = timezone.now()
    # One day with the grid member (3 allowed), then 10 with the mediator (7 allowed).
    backdate(dispute.events, now - 11 * DAY, now - 10 * DAY)
    refer_to_police(dispute, by=leader)
    trace = traces(dispute=dispute, trigger=Trigger.CIVIL_TO_CRIMINAL).get()
    assert trace.responsible == mediator
    assert [s["state"] for s in trace.timeline] == ["grid_member", "mediator", "referred"]
    assert [s["holder"] for s in trace.timeline[:2]] == [staff_of(gm01).name, mediator.name]


def test_a_dispute_referred_to_police_within_its_deadlines_is_not_traced(gm01):
    dispute = make_dispute(by=gm01, risk_civil_to_criminal=True)
    backdate(dispute.events, timezone.now() - 2 * DAY)  # 2 of 3 days used
    refer_to_police(dispute, by=gm01)
    assert dispute.state == "referred"
    assert not traces(dispute=dispute).exists()


def test_a_late_dispute_referred_elsewhere_by_the_chair_is_not_traced(gm01):
    dispute = escalate_to(make_dispute(by=gm01), "chair")
    now = timezone.now()
    backdate(dispute.events, now - 30 * DAY, now - 25 * DAY, now - 20 * DAY, now - 19 * DAY)
    dispute_refer(dispute=dispute, by=actor_at_tier(dispute), target="judicial_office",
                  note="涉及法律适用问题，移交司法所。")
    assert not traces(dispute=dispute).exists()


# --- Petitions from a matter the town held -----------------------------------------------------------

def test_a_higher_level_visit_on_a_petition_opens_a_skip_level_trace_once(
        gm01, leader, django_capture_on_commit_callbacks):
    petition = make_petition(by=gm01)
    for level in ("county", "city"):
        with django_capture_on_commit_callbacks(execute=True):
            petition_record_higher_visit(petition=petition, by=gm01, level=level,
                                         visited_on=timezone.localdate(), note="到县信访局反映。")
    trace = traces(petition=petition).get()
    assert trace.trigger == Trigger.SKIP_LEVEL_PETITION
    assert trace.responsible == staff_of(gm01)  # the proxy agent (代办员)
    assert trace.leader == staff_of(leader)
    assert trace.timeline[0]["holder"] == staff_of(gm01).name
    assert Notification.objects.filter(recipient=leader, url=trace.get_absolute_url()).exists()


def test_a_group_petition_repeating_an_earlier_one_opens_a_group_trace(
        gm01, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        earlier = make_petition(by=gm01)
    assert not traces(petition=earlier).exists()
    with django_capture_on_commit_callbacks(execute=True):
        group = make_petition(by=gm01, people_count=6, petitioners=group_of(6))
    assert group.repeat_of == earlier and group.is_group
    trace = traces(petition=group).get()
    assert trace.trigger == Trigger.GROUP_PETITION
    assert trace.responsible == staff_of(gm01)


def test_a_first_group_petition_or_a_single_repeat_opens_no_trace(
        gm01, django_capture_on_commit_callbacks):
    strangers = [petitioner(name=f"李{i}", phone=f"1370000{i:04d}", id_number="",
                            is_representative=i < 5) for i in range(6)]
    with django_capture_on_commit_callbacks(execute=True):
        first_group = make_petition(by=gm01, people_count=6, petitioners=strangers,
                                    subject="反映村道硬化质量问题")
        single = make_petition(by=gm01)
        repeat = make_petition(by=gm01)
    assert first_group.is_group and first_group.repeat_of is None
    assert repeat.repeat_of == single and not repeat.is_group
    assert not traces(petition__in=[first_group, single, repeat]).exists()


# --- Town leadership only ------------------------------------------------------------------------------

@pytest.fixture
def trace(leader):
    notice = set_deadline(issue(by=leader), timezone.now() - HOUR)
    services.deadline_alerts_sweep()
    return traces(notice=notice).get()


@pytest.mark.parametrize("username", ["gm01", "gl01", "office", "chair", "petition"])
def test_traces_are_hidden_from_everyone_but_town_leadership(client_as, user_factory, trace,
                                                            username):
    assert not trace_list_for_user(user=user_factory(username)).exists()
    client = client_as(username)
    assert client.get("/supervision/traces/").status_code == 404
    assert client.get(f"/supervision/traces/{trace.pk}/").status_code == 404
    response = client.post(f"/supervision/traces/{trace.pk}/",
                           {"finding": "x", "action_taken": "y"})
    assert response.status_code == 404
    trace.refresh_from_db()
    assert trace.finding == ""


def test_town_leadership_sees_the_traces(client_as, leader, trace):
    assert trace_list_for_user(user=leader).filter(pk=trace.pk).exists()
    client = client_as("leader")
    listing = client.get("/supervision/traces/")
    assert listing.status_code == 200
    assert trace.notice.number in listing.content.decode()
    detail = client.get(f"/supervision/traces/{trace.pk}/")
    assert detail.status_code == 200
    assert trace.responsible.name in detail.content.decode()


def test_leadership_records_the_finding_and_the_action(leader, trace):
    services.trace_conclude(trace=trace, by=leader, finding="责任人未按期组织调解。",
                            action_taken="约谈责任人，限期整改。")
    trace.refresh_from_db()
    assert (trace.finding, trace.action_taken, trace.concluded_by) == (
        "责任人未按期组织调解。", "约谈责任人，限期整改。", leader)
    assert trace.concluded_at is not None


def test_a_finding_needs_both_parts(leader, trace):
    with pytest.raises(ValidationError) as exc:
        services.trace_conclude(trace=trace, by=leader, finding=" ", action_taken="")
    assert set(exc.value.message_dict) == {"finding", "action_taken"}


@pytest.mark.parametrize("username", ["gl01", "office", "chair"])
def test_only_leadership_records_a_finding(user_factory, trace, username):
    with pytest.raises(PermissionDenied):
        services.trace_conclude(trace=trace, by=user_factory(username), finding="结论",
                                action_taken="措施")
    trace.refresh_from_db()
    assert trace.concluded_at is None


def test_leadership_records_the_finding_on_the_page(client_as, trace):
    client = client_as("leader")
    response = client.post(f"/supervision/traces/{trace.pk}/",
                           {"finding": "责任人未按期组织调解。", "action_taken": "约谈。"})
    assert response.status_code == 302 and response["Location"] == trace.get_absolute_url()
    trace.refresh_from_db()
    assert trace.finding == "责任人未按期组织调解。"
    response = client.post(f"/supervision/traces/{trace.pk}/", {"finding": "", "action_taken": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"finding", "action_taken"}

