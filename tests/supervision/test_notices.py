"""Supervision and early-warning notices: the four fixes (四定) enforced, default
deadlines by urgency, numbering, who may issue, every transition's allowed path and refusals,
and overdue computed at the exact deadline in Asia/Shanghai."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from inbox.models import Notification
from supervision import services
from supervision.models import (
    DeadlineAlert,
    NoticeEvent,
    NoticeReport,
    ResponsibilityTrace,
    SupervisionNotice,
)
from supervision.selectors import notice_list_for_user
from tests.grid.factories import town_create

from .factories import (
    DAY,
    acknowledged,
    demo_town,
    in_charge_of_village,
    issue,
    large_grid,
    reported,
    returned,
    set_deadline,
    staff_of,
    verified,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = datetime.timedelta(hours=1)


def notified(user, notice):
    return Notification.objects.filter(recipient=user, url=notice.get_absolute_url())


def last_event(notice) -> NoticeEvent:
    return notice.events.order_by("-id").first()


def snapshot(notice):
    """What a refused transition must leave untouched."""
    notice.refresh_from_db()
    return notice.state, notice.handler_id, notice.deadline, notice.events.count()


def refused_field(exc_info) -> set:
    return set(exc_info.value.message_dict)


# --- The four fixes (四定) ---------------------------------------------------------------------

@pytest.mark.parametrize("field, missing", [
    ("leader_in_charge", None),
    ("measures", ""),
    ("measures", "   "),
    ("responsible", None),
])
def test_a_notice_without_one_of_the_four_fixes_is_refused_on_that_field(leader, field, missing):
    before = SupervisionNotice.objects.count()
    with pytest.raises(ValidationError) as exc:
        issue(by=leader, **{field: missing})
    assert refused_field(exc) == {field}
    assert "四定" in exc.value.message_dict[field][0]
    assert SupervisionNotice.objects.count() == before


def test_a_notice_missing_all_four_fixes_names_each_of_them(leader):
    with pytest.raises(ValidationError) as exc:
        issue(by=leader, leader_in_charge=None, measures="", responsible=None,
              deadline=timezone.now() - HOUR)
    assert refused_field(exc) == {"leader_in_charge", "measures", "responsible", "deadline"}


def test_a_deadline_in_the_past_or_now_is_refused(leader, freeze):
    now = freeze(timezone.now())
    for deadline in (now - HOUR, now):
        with pytest.raises(ValidationError) as exc:
            issue(by=leader, deadline=deadline)
        assert refused_field(exc) == {"deadline"}


@pytest.mark.parametrize("urgency, days", [("urgent", 3), ("ordinary", 15), ("difficult", 30)])
def test_the_deadline_defaults_by_urgency(leader, freeze, urgency, days):
    now = freeze(timezone.now())
    notice = issue(by=leader, urgency=urgency)
    assert notice.deadline == now + datetime.timedelta(days=days)
    assert notice.created_at == now


def test_a_deadline_set_by_the_issuer_is_kept(leader):
    deadline = timezone.now() + 20 * DAY
    assert issue(by=leader, deadline=deadline).deadline == deadline


@pytest.mark.parametrize("span", [datetime.timedelta(hours=6), 6 * DAY, 10 * DAY])
def test_an_urgent_deadline_outside_one_to_five_days_is_refused(leader, freeze, span):
    now = freeze(timezone.now())
    with pytest.raises(ValidationError) as exc:
        issue(by=leader, urgency="urgent", deadline=now + span)
    assert refused_field(exc) == {"deadline"}


@pytest.mark.parametrize("span", [DAY, 5 * DAY])
def test_an_urgent_deadline_of_one_to_five_days_is_accepted(leader, freeze, span):
    now = freeze(timezone.now())
    assert issue(by=leader, urgency="urgent", deadline=now + span).deadline == now + span


def test_an_unknown_urgency_or_kind_is_refused(leader):
    with pytest.raises(ValidationError) as exc:
        issue(by=leader, urgency="whenever", kind="memo")
    assert refused_field(exc) == {"urgency", "kind"}


def test_a_notice_needs_a_target_village_or_office(leader):
    with pytest.raises(ValidationError) as exc:
        issue(by=leader, target_large_grids=[], target_offices=[])
    assert refused_field(exc) == {"target_large_grids"}


def test_a_notice_to_an_office_alone_is_accepted(leader):
    notice = issue(by=leader, target_large_grids=[], target_offices=["police", "judicial_office"])
    assert notice.target_offices == ["police", "judicial_office"]
    assert not notice.target_large_grids.exists()


def test_targets_must_be_of_the_town_and_offices_must_be_known(leader):
    other = town_create()
    with pytest.raises(ValidationError) as exc:
        issue(by=leader, target_large_grids=[other.large_grid], target_offices=["bank"])
    assert refused_field(exc) == {"target_large_grids", "target_offices"}


def test_the_responsible_person_must_be_of_the_town(leader):
    other = town_create()
    outsider = other.staff
    assert outsider is not None
    with pytest.raises(ValidationError) as exc:
        issue(by=leader, responsible=outsider)
    assert refused_field(exc) == {"responsible"}


def test_a_county_user_is_not_of_the_town_for_the_four_fixes(leader, county):
    """As on the issue page, whose choices are the town's staff (``staff_of_town``), the
    service takes no one without a town as leader in charge or responsible person."""
    with pytest.raises(ValidationError) as exc:
        issue(by=leader, leader_in_charge=staff_of(county), responsible=staff_of(county))
    assert refused_field(exc) == {"leader_in_charge", "responsible"}


# --- Numbering --------------------------------------------------------------------------------

def test_notices_are_numbered_per_kind_and_year(leader):
    year = timezone.localdate().year
    first, second = issue(by=leader), issue(by=leader)
    warning = issue(by=leader, kind="early_warning")
    m1 = re.fullmatch(rf"黄寨督〔{year}〕(\d+)号", first.number)
    m2 = re.fullmatch(rf"黄寨督〔{year}〕(\d+)号", second.number)
    assert m1 and m2, (first.number, second.number)
    assert int(m2[1]) == int(m1[1]) + 1 == second.serial
    assert re.fullmatch(rf"黄寨预警〔{year}〕\d+号", warning.number)
    assert warning.serial == SupervisionNotice.objects.filter(
        town=demo_town(), kind="early_warning", year=year).count()


def test_a_notice_issued_just_after_new_year_in_shanghai_starts_that_years_numbers(leader, freeze):
    # 00:30 on 1 January in Shanghai is still 31 December in UTC.
    year = timezone.localdate().year + 1
    freeze(datetime.datetime(year, 1, 1, 0, 30, tzinfo=SHANGHAI))
    supervision, warning = issue(by=leader), issue(by=leader, kind="early_warning")
    assert supervision.number == f"黄寨督〔{year}〕1号"
    assert warning.number == f"黄寨预警〔{year}〕1号"
    assert (supervision.year, issue(by=leader).number) == (year, f"黄寨督〔{year}〕2号")


# --- Who issues ----------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["gl01", "gm01", "office", "chair", "petition"])
def test_only_town_leadership_issues_notices(user_factory, username):
    before = SupervisionNotice.objects.count()
    with pytest.raises(PermissionDenied):
        issue(by=user_factory(username))
    assert SupervisionNotice.objects.count() == before


def test_issuing_records_the_event_and_notifies_the_responsible_person(leader, gl01, chair):
    notice = issue(by=leader, leader_in_charge=in_charge_of_village(chair))
    assert notice.state == "issued"
    assert notice.handler == staff_of(gl01) == notice.responsible
    assert notice.issuer == staff_of(leader)
    event = last_event(notice)
    assert (event.action, event.from_state, event.to_state, event.actor, event.handler) == (
        "issue", "", "issued", leader, staff_of(gl01))
    assert notified(gl01, notice).count() == 1
    assert notice.number in notified(gl01, notice).get().title
    assert notified(chair, notice).count() == 1  # the leader in charge
    assert not notified(leader, notice).exists()  # the issuer is not told what he did


# --- Acknowledge ----------------------------------------------------------------------------------

def test_the_responsible_person_acknowledges(leader, gl01):
    notice = issue(by=leader)
    before = Notification.objects.count()
    notice = acknowledged(notice, by=gl01)
    assert notice.state == "acknowledged"
    assert notice.acknowledged_at is not None
    assert notice.handler == staff_of(gl01)
    event = last_event(notice)
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "acknowledge", "issued", "acknowledged", gl01)
    # The notice stays with the same person: nobody new to tell.
    assert Notification.objects.count() == before


def test_another_grid_leader_cannot_acknowledge_gl01s_notice(leader, gl02):
    notice = issue(by=leader)
    before = snapshot(notice)
    with pytest.raises(PermissionDenied):
        services.notice_acknowledge(notice=notice, by=gl02)
    assert snapshot(notice) == before


def test_a_notice_is_acknowledged_once(leader, gl01):
    notice = acknowledged(issue(by=leader), by=gl01)
    before = snapshot(notice)
    with pytest.raises(TransitionNotAllowed):
        services.notice_acknowledge(notice=notice, by=gl01)
    assert snapshot(notice) == before


def test_leadership_may_act_for_the_responsible_person(leader):
    assert acknowledged(issue(by=leader), by=leader).state == "acknowledged"


# --- Progress -------------------------------------------------------------------------------------

def test_progress_notes_add_to_the_history_without_changing_the_state(leader, gl01):
    notice = acknowledged(issue(by=leader), by=gl01)
    services.notice_progress(notice=notice, by=gl01, note="已完成现场勘界。")
    notice.refresh_from_db()
    assert notice.state == "acknowledged"
    event = last_event(notice)
    assert (event.action, event.from_state, event.to_state, event.note) == (
        "progress", "acknowledged", "acknowledged", "已完成现场勘界。")


def test_progress_is_refused_before_acknowledging_to_others_and_without_a_note(leader, gl01, gl02):
    notice = issue(by=leader)
    with pytest.raises(TransitionNotAllowed):
        services.notice_progress(notice=notice, by=gl01, note="进展")
    notice = acknowledged(notice, by=gl01)
    before = snapshot(notice)
    with pytest.raises(PermissionDenied):
        services.notice_progress(notice=notice, by=gl02, note="进展")
    with pytest.raises(ValidationError) as exc:
        services.notice_progress(notice=notice, by=gl01, note="  ")
    assert refused_field(exc) == {"note"}
    assert snapshot(notice) == before


# --- Report ---------------------------------------------------------------------------------------

def test_the_report_goes_to_the_issuer(leader, gl01):
    notice = acknowledged(issue(by=leader), by=gl01)
    notice = reported(notice, by=gl01)
    assert notice.state == "reported"
    assert notice.handler == staff_of(leader)
    event = last_event(notice)
    assert (event.action, event.from_state, event.to_state, event.actor, event.handler) == (
        "report", "acknowledged", "reported", gl01, staff_of(leader))
    report = NoticeReport.objects.get(notice=notice)
    assert (report.result, report.completed, report.reported_by) == (
        "已现场勘界，双方签字确认边界。", True, gl01)
    assert report.checked_at is None
    assert notified(leader, notice).filter(title__contains="待您办理").count() == 1


def test_a_report_is_refused_before_acknowledging(leader, gl01):
    notice = issue(by=leader)
    before = snapshot(notice)
    with pytest.raises(TransitionNotAllowed):
        reported(notice, by=gl01)
    assert snapshot(notice) == before
    assert not NoticeReport.objects.filter(notice=notice).exists()


def test_a_report_is_refused_to_anyone_but_the_responsible_person(leader, gl01, gl02):
    notice = acknowledged(issue(by=leader), by=gl01)
    before = snapshot(notice)
    with pytest.raises(PermissionDenied):
        reported(notice, by=gl02)
    assert snapshot(notice) == before
    assert not NoticeReport.objects.filter(notice=notice).exists()


def test_a_report_needs_a_result(leader, gl01):
    notice = acknowledged(issue(by=leader), by=gl01)
    with pytest.raises(ValidationError) as exc:
        reported(notice, by=gl01, result=" ")
    assert refused_field(exc) == {"result"}


def test_a_report_of_an_unfinished_matter_must_say_how_far_it_got_and_why(leader, gl01):
    notice = acknowledged(issue(by=leader), by=gl01)
    with pytest.raises(ValidationError) as exc:
        reported(notice, by=gl01, completed=False)
    assert refused_field(exc) == {"shortfall"}
    notice = reported(notice, by=gl01, completed=False, shortfall="一户外出务工，尚未签字。")
    report = notice.reports.get()
    assert (report.completed, report.shortfall) == (False, "一户外出务工，尚未签字。")


def test_a_report_after_the_deadline_must_give_the_shortfall(leader, gl01):
    notice = acknowledged(issue(by=leader), by=gl01)
    set_deadline(notice, timezone.now() - HOUR)
    before = snapshot(notice)
    with pytest.raises(ValidationError) as exc:
        reported(notice, by=gl01)  # done, but late
    assert refused_field(exc) == {"shortfall"}
    assert snapshot(notice) == before
    notice = reported(notice, by=gl01, shortfall="勘界需县自然资源局到场，推迟两天。")
    assert notice.state == "reported"


# --- Verify ----------------------------------------------------------------------------------------

def test_the_issuer_verifies_a_report_with_all_three_checks(leader, gl01):
    notice = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    notice = verified(notice, by=leader)
    assert notice.state == "verified"
    assert notice.verified_at is not None
    assert notice.handler is None
    assert not notice.is_overdue
    event = last_event(notice)
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "verify", "reported", "verified", leader)
    report = notice.reports.get()
    assert (report.facts_checked, report.problem_solved, report.measures_lawful,
            report.accepted) == (True, True, True, True)
    assert report.check_opinion == "经核实，问题已解决。" and report.checked_at is not None


@pytest.mark.parametrize("failed", ["facts_checked", "problem_solved", "measures_lawful"])
def test_verifying_requires_all_three_checks(leader, gl01, failed):
    notice = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    before = snapshot(notice)
    checks = {"facts_checked": True, "problem_solved": True, "measures_lawful": True,
              failed: False}
    with pytest.raises(ValidationError) as exc:
        services.notice_verify(notice=notice, by=leader, opinion="核验。", **checks)
    assert refused_field(exc) == {"opinion"}
    assert snapshot(notice) == before


def test_verifying_requires_an_opinion(leader, gl01):
    notice = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    with pytest.raises(ValidationError) as exc:
        services.notice_verify(notice=notice, by=leader, facts_checked=True,
                               problem_solved=True, measures_lawful=True, opinion="")
    assert refused_field(exc) == {"opinion"}


def test_the_responsible_person_cannot_verify_own_report(leader, gl01):
    notice = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    before = snapshot(notice)
    with pytest.raises(PermissionDenied):
        verified(notice, by=gl01)
    assert snapshot(notice) == before


@pytest.mark.parametrize("stage", ["issued", "acknowledged", "verified"])
def test_only_a_reported_notice_can_be_verified(leader, gl01, stage):
    notice = issue(by=leader)
    if stage != "issued":
        notice = acknowledged(notice, by=gl01)
    if stage == "verified":
        notice = verified(reported(notice, by=gl01), by=leader)
    before = snapshot(notice)
    with pytest.raises(TransitionNotAllowed):
        verified(notice, by=leader)
    assert snapshot(notice) == before


# --- Return --------------------------------------------------------------------------------------

def test_returning_hands_the_notice_back_with_a_new_deadline(leader, gl01):
    notice = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    new_deadline = timezone.now() + 5 * DAY
    notice = returned(notice, by=leader, new_deadline=new_deadline)
    assert notice.state == "returned"
    assert notice.deadline == new_deadline
    assert notice.handler == staff_of(gl01)
    event = last_event(notice)
    assert (event.action, event.from_state, event.to_state, event.handler) == (
        "return_for_work", "reported", "returned", staff_of(gl01))
    report = notice.reports.get()
    assert (report.accepted, report.problem_solved, report.new_deadline) == (
        False, False, new_deadline)
    assert notified(gl01, notice).filter(title__contains="待您办理").count() == 1

    # More work, then a second report, which the issuer verifies.
    services.notice_progress(notice=notice, by=gl01, note="已补签边界协议。")
    notice = verified(reported(notice, by=gl01, result="双方已补签。"), by=leader)
    assert notice.state == "verified"
    assert list(notice.reports.values_list("accepted", flat=True)) == [False, True]


def test_returning_requires_a_future_new_deadline(leader, gl01, freeze):
    notice = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    now = freeze(timezone.now())
    before = snapshot(notice)
    for new_deadline in (None, now - HOUR, now):
        with pytest.raises(ValidationError) as exc:
            services.notice_return(notice=notice, by=leader, opinion="退回。",
                                   new_deadline=new_deadline)
        assert refused_field(exc) == {"new_deadline"}
    with pytest.raises(ValidationError) as exc:
        services.notice_return(notice=notice, by=leader, opinion="", new_deadline=now + DAY)
    assert refused_field(exc) == {"opinion"}
    assert snapshot(notice) == before


def test_returning_is_refused_to_the_responsible_person_and_before_a_report(leader, gl01):
    notice = acknowledged(issue(by=leader), by=gl01)
    with pytest.raises(TransitionNotAllowed):
        returned(notice, by=leader, new_deadline=timezone.now() + DAY)
    notice = reported(notice, by=gl01)
    before = snapshot(notice)
    with pytest.raises(PermissionDenied):
        returned(notice, by=gl01, new_deadline=timezone.now() + DAY)
    assert snapshot(notice) == before


def test_a_stale_notice_is_a_conflict(leader, gl01):
    from django_fsm import ConcurrentTransition

    notice = issue(by=leader)
    stale = SupervisionNotice.objects.get(pk=notice.pk)
    acknowledged(notice, by=gl01)
    with pytest.raises(ConcurrentTransition):
        services.notice_acknowledge(notice=stale, by=leader)


# --- Overdue at the exact deadline, Asia/Shanghai ---------------------------------------------------

def _five_pm_shanghai_in(days: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=SHANGHAI)


def _overdue_in_ledger(user, notice) -> bool:
    return notice_list_for_user(user=user).get(pk=notice.pk).overdue


def test_a_notice_is_overdue_just_after_its_deadline_in_shanghai_time(leader, freeze):
    deadline = _five_pm_shanghai_in(days=2)
    notice = set_deadline(issue(by=leader), deadline)
    assert notice.deadline.astimezone(datetime.UTC).hour == 9  # 17:00 in Shanghai is 09:00 UTC

    freeze(deadline - datetime.timedelta(seconds=1))
    assert not notice.is_overdue and not _overdue_in_ledger(leader, notice)
    freeze(deadline)
    assert not notice.is_overdue and not _overdue_in_ledger(leader, notice)
    freeze(deadline + datetime.timedelta(microseconds=1))
    assert notice.is_overdue and _overdue_in_ledger(leader, notice)
    # At 17:00 UTC (01:00 the next day in Shanghai) it has long been overdue.
    freeze(deadline.replace(tzinfo=datetime.UTC))
    assert notice.is_overdue


def test_the_sweep_calls_a_notice_overdue_only_after_its_deadline(leader):
    deadline = _five_pm_shanghai_in(days=2)
    notice = set_deadline(issue(by=leader), deadline)
    alerts = DeadlineAlert.objects.filter(item_kind="notice", item_id=notice.pk)

    services.deadline_alerts_sweep(now=deadline)
    assert list(alerts.values_list("threshold", flat=True)) == ["t-1"]
    assert not ResponsibilityTrace.objects.filter(notice=notice).exists()

    services.deadline_alerts_sweep(now=deadline + datetime.timedelta(seconds=1))
    assert set(alerts.values_list("threshold", flat=True)) == {"t-1", "overdue"}
    assert ResponsibilityTrace.objects.filter(notice=notice, trigger="notice_overdue").exists()


def test_a_verified_notice_is_never_overdue(leader, gl01, freeze):
    notice = verified(reported(acknowledged(issue(by=leader), by=gl01), by=gl01), by=leader)
    freeze(notice.deadline + 10 * DAY)
    assert not notice.is_overdue and not _overdue_in_ledger(leader, notice)


def test_returning_with_a_new_deadline_lifts_overdue(leader, gl01):
    notice = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    notice = set_deadline(notice, timezone.now() - DAY)
    assert notice.is_overdue
    notice = returned(notice, by=leader, new_deadline=timezone.now() + 3 * DAY)
    assert not notice.is_overdue


def test_notices_of_large_grid_2_go_to_its_leader_only(leader, gl01, gl02):
    notice = issue(by=leader, target_large_grids=[large_grid(2)], responsible=staff_of(gl02))
    assert notice_list_for_user(user=gl02).filter(pk=notice.pk).exists()
    assert not notice_list_for_user(user=gl01).filter(pk=notice.pk).exists()


def test_a_notice_about_another_towns_dispute_is_refused(leader):
    from tests.disputes.factories import make_dispute

    other = town_create()
    theirs = make_dispute(by=other.user, small_grid=other.small_grid)
    before = SupervisionNotice.objects.count()
    with pytest.raises(ValidationError) as exc:
        issue(by=leader, dispute=theirs)
    assert refused_field(exc) == {"dispute"}
    assert SupervisionNotice.objects.count() == before


def test_a_grid_member_cannot_be_the_leader_in_charge(leader, gm01):
    """定领导: the leader in charge is the town leadership or a 包片/包村 leader; the service
    refuses anyone else, whatever the form or the API sent."""
    with pytest.raises(ValidationError) as exc:
        issue(by=leader, leader_in_charge=staff_of(gm01))
    assert refused_field(exc) == {"leader_in_charge"}
    assert "包抓领导须为镇领导或包片、包村领导" in str(exc.value)


def test_the_leader_in_charge_picker_offers_only_eligible_staff_with_role_and_village(
        client_as, leader, gm01):
    from grid.selectors import leader_in_charge_candidates

    page = client_as("leader").get("/supervision/new/")
    field = page.context["form"].fields["leader_in_charge"]
    offered = {staff.pk for staff in field.queryset}
    assert offered == set(leader_in_charge_candidates(town_id=demo_town().pk)
                          .values_list("id", flat=True))
    assert staff_of(gm01).pk not in offered
    labels = [label for _value, label in field.choices]
    assert any("科级领导（包村）（马寨村）" in str(label) for label in labels)
    html = page.content.decode()
    assert 'data-picker' in html and 'data-keys="lg:2"' in html
