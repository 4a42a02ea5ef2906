"""How the sweeps run: idempotent per town and period, the judgement
kept, the daily reminders to those who did not report only and only once, the management
command, the task on a real Celery worker against Redis, and the beat schedule."""

import datetime
import io
import os
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from cadence.models import DailyRecord, MonthlyAnalysis, WeeklySummary
from cadence.services import (
    daily_sweep,
    monthly_judgement_save,
    monthly_sweep,
    run_sweep,
    screening_report_save,
    weekly_sweep,
)
from grid.models import Town
from inbox.models import Notification
from tests.conftest import requires_redis

from .factories import at, dispute

D = datetime.date
REMINDER = "今日排查报告未报"


def zero_report(t, grid):
    i, j = grid
    return screening_report_save(by=t.gm[i][j], small_grid=t.sg[i][j],
                                 areas=["neighbour_relations"], nothing_found=True)


def reminded(t) -> set:
    """The users of 清风镇 reminded so far."""
    return set(Notification.objects.filter(title__startswith=REMINDER,
                                           recipient__staff__town=t.town)
               .values_list("recipient__username", flat=True))


# --- Idempotence -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_daily_sweep_twice_updates_the_one_record(qf, clock):
    clock(at(2026, 3, 10, 20, 30))
    first = daily_sweep(town=qf.town)
    assert first.date == D(2026, 3, 10) and first.figures["reported"] == 0
    zero_report(qf, (0, 0))
    dispute(qf, found_at=at(2026, 3, 10, 20))
    second = daily_sweep(town=qf.town)
    assert second.pk == first.pk
    assert DailyRecord.objects.filter(town=qf.town).count() == 1
    assert (second.figures["reported"], second.figures["new_disputes"]) == (1, 1)
    assert len(second.figures["missing"]) == 3


@pytest.mark.django_db
def test_weekly_sweep_twice_updates_the_one_summary(qf, clock):
    clock(at(2026, 3, 9, 7))
    first = weekly_sweep(town=qf.town)
    assert first.week_start == D(2026, 3, 2) and first.figures["new"] == 0
    dispute(qf, found_at=at(2026, 3, 4, 9))
    second = weekly_sweep(town=qf.town)
    assert second.pk == first.pk and second.figures["new"] == 1
    assert WeeklySummary.objects.filter(town=qf.town).count() == 1


@pytest.mark.django_db
def test_monthly_sweep_again_updates_the_figures_and_keeps_the_judgement(qf, clock):
    clock(at(2026, 4, 1, 7, 30))
    analysis = monthly_sweep(town=qf.town)
    assert analysis.month == D(2026, 3, 1) and analysis.figures["this_month"]["new"] == 0
    clock(at(2026, 4, 2, 9))
    monthly_judgement_save(analysis=analysis, by=qf.leader, judgement=" 邻里纠纷抬头。 ",
                           decisions="开展一次集中排查。")
    # A case logged late, then the sweep again (by hand, on the 3rd: still March).
    dispute(qf, found_at=at(2026, 3, 30, 9))
    clock(at(2026, 4, 3, 8))
    again = monthly_sweep(town=qf.town)
    assert again.pk == analysis.pk
    assert MonthlyAnalysis.objects.filter(town=qf.town).count() == 1
    again.refresh_from_db()
    assert again.figures["this_month"]["new"] == 1
    assert (again.judgement, again.decisions) == ("邻里纠纷抬头。", "开展一次集中排查。")
    assert again.judged_by == qf.leader and again.judged_at == at(2026, 4, 2, 9)


@pytest.mark.django_db
def test_run_sweep_covers_every_town_once_however_often_it_runs(qf, clock):
    towns = Town.objects.count()
    assert towns == 2
    for kind, model in (("daily", DailyRecord), ("weekly", WeeklySummary),
                        ("monthly", MonthlyAnalysis)):
        before = model.objects.count()
        assert run_sweep(kind, day=D(2026, 3, 10)) == towns
        assert run_sweep(kind, day=D(2026, 3, 10)) == towns
        assert model.objects.count() == before + towns
    assert DailyRecord.objects.filter(date=D(2026, 3, 10)).count() == towns
    assert WeeklySummary.objects.filter(week_start=D(2026, 3, 2)).count() == towns
    assert MonthlyAnalysis.objects.filter(month=D(2026, 2, 1)).count() == towns


# --- The judgement ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_only_leadership_writes_the_judgement(qf, clock):
    clock(at(2026, 4, 1, 7, 30))
    analysis = monthly_sweep(town=qf.town)
    for user in (qf.office, qf.chair, qf.gl[0]):
        with pytest.raises(PermissionDenied, match="只有镇党委、政府领导可以填写研判意见。"):
            monthly_judgement_save(analysis=analysis, by=user, judgement="意见", decisions="")
    with pytest.raises(ValidationError) as excinfo:
        monthly_judgement_save(analysis=analysis, by=qf.leader, judgement="  ", decisions="")
    assert excinfo.value.message_dict == {"judgement": ["请填写研判意见。"]}
    analysis.refresh_from_db()
    assert analysis.judgement == "" and analysis.judged_at is None


@pytest.mark.django_db
def test_another_towns_leadership_cannot_judge(qf, clock, leader):
    clock(at(2026, 4, 1, 7, 30))
    analysis = monthly_sweep(town=qf.town)
    with pytest.raises(PermissionDenied):
        monthly_judgement_save(analysis=analysis, by=leader, judgement="意见", decisions="")


# --- Daily reminders -------------------------------------------------------------------------

@pytest.mark.django_db
def test_reminders_go_only_to_the_grid_members_and_leaders_of_grids_that_did_not_report(
        qf, clock):
    """Village 1 reported whole; village 2's grid 1 reported, grid 2 did not: its grid member
    and village 2's grid leader are reminded, nobody else."""
    clock(at(2026, 3, 10, 18))
    zero_report(qf, (0, 0))
    zero_report(qf, (0, 1))
    zero_report(qf, (1, 0))
    clock(at(2026, 3, 10, 20, 30))
    record = daily_sweep(town=qf.town)
    assert record.reminders_sent_at == at(2026, 3, 10, 20, 30)
    assert reminded(qf) == {qf.gm[1][1].username, qf.gl[1].username}
    note = Notification.objects.get(recipient=qf.gm[1][1], title__startswith=REMINDER)
    assert note.title == "今日排查报告未报：2026-03-10"
    assert "清风2村第2网格" in note.body and "清风1村" not in note.body
    assert note.url == "/cadence/screening/"


@pytest.mark.django_db
def test_reminders_are_sent_once_a_day(qf, clock):
    clock(at(2026, 3, 10, 20, 30))
    daily_sweep(town=qf.town)
    everyone = {u.username for row in qf.gm for u in row} | {u.username for u in qf.gl}
    assert reminded(qf) == everyone
    sent = Notification.objects.filter(title__startswith=REMINDER,
                                       recipient__staff__town=qf.town)
    assert sent.count() == 6
    clock(at(2026, 3, 10, 22))
    record = daily_sweep(town=qf.town)
    assert sent.count() == 6
    assert record.reminders_sent_at == at(2026, 3, 10, 20, 30)
    # The next evening is another day: reminded again.
    clock(at(2026, 3, 11, 20, 30))
    daily_sweep(town=qf.town)
    assert sent.count() == 12


@pytest.mark.django_db
def test_no_reminders_for_a_past_or_future_date_or_when_all_reported(qf, clock):
    clock(at(2026, 3, 10, 20, 30))
    past = daily_sweep(town=qf.town, day=D(2026, 3, 9))
    future = daily_sweep(town=qf.town, day=D(2026, 3, 11))
    assert past.figures["reported"] == 0 and len(past.figures["missing"]) == 4
    assert past.reminders_sent_at is None and future.reminders_sent_at is None
    assert reminded(qf) == set()
    for grid in ((0, 0), (0, 1), (1, 0), (1, 1)):
        zero_report(qf, grid)
    today = daily_sweep(town=qf.town)
    assert today.figures["missing"] == [] and today.reminders_sent_at is None
    assert reminded(qf) == set()


@pytest.mark.django_db
def test_a_grid_member_whose_role_ended_is_not_reminded(qf, clock):
    from grid.models import RoleAssignment
    from grid.services import role_end

    clock(at(2026, 3, 10, 20, 30))
    gone = qf.gm[0][0]
    role_end(assignment=RoleAssignment.objects.get(staff=gone.staff),
             ends_on=D(2026, 3, 1))
    daily_sweep(town=qf.town)
    assert gone.username not in reminded(qf)
    assert qf.gl[0].username in reminded(qf)


# --- The management command ------------------------------------------------------------------

@pytest.mark.django_db
def test_run_sweep_command_with_a_date(qf):
    out = io.StringIO()
    call_command("run_sweep", "weekly", "--date", "2026-10-12", stdout=out)
    assert "weekly: 2 town(s)" in out.getvalue()
    assert WeeklySummary.objects.get(town=qf.town).week_start == D(2026, 10, 5)
    call_command("run_sweep", "monthly", "--date", "2026-01-01", stdout=io.StringIO())
    assert MonthlyAnalysis.objects.get(town=qf.town).month == D(2025, 12, 1)
    call_command("run_sweep", "daily", "--date", "2026-03-10", stdout=io.StringIO())
    assert DailyRecord.objects.get(town=qf.town).date == D(2026, 3, 10)


@pytest.mark.django_db
def test_run_sweep_command_without_a_date_sweeps_today(qf, clock):
    clock(at(2026, 3, 10, 20, 30))
    call_command("run_sweep", "daily", stdout=io.StringIO())
    assert DailyRecord.objects.get(town=qf.town).date == D(2026, 3, 10)


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["2026-13-01", "10/12/2026", "yesterday"])
def test_run_sweep_command_refuses_a_bad_date(bad):
    before = WeeklySummary.objects.count()
    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD"):
        call_command("run_sweep", "weekly", "--date", bad)
    assert WeeklySummary.objects.count() == before


def test_run_sweep_command_refuses_an_unknown_kind():
    with pytest.raises(CommandError):
        call_command("run_sweep", "yearly")


# --- The task --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_task_runs_the_sweep_for_the_date_given(qf):
    from cadence.tasks import run_sweep as run_sweep_task

    assert run_sweep_task.delay("monthly", "2026-01-01").get() == 2
    assert MonthlyAnalysis.objects.get(town=qf.town).month == D(2025, 12, 1)


@pytest.fixture
def celery_on_redis():
    """``config.celery.app`` on Redis, not eager, with a queue of its own (so that no other
    worker on the same Redis takes this test's tasks); settings restored afterwards."""
    from config.celery import app

    redis_url = os.environ["REDIS_URL"]
    keys = ["task_always_eager", "broker_url", "result_backend", "task_default_queue"]
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url,
                    task_default_queue=f"test-cadence-{uuid.uuid4().hex[:8]}")
    try:
        yield app
    finally:
        app.conf.update(saved)


@requires_redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_the_daily_weekly_and_monthly_sweeps(demo_committed, celery_on_redis):
    from celery.contrib.testing.worker import start_worker

    from cadence.tasks import run_sweep as run_sweep_task

    towns = Town.objects.count()
    day = "2026-03-10"
    with start_worker(celery_on_redis, perform_ping_check=False, pool="solo",
                      queues=[celery_on_redis.conf.task_default_queue], shutdown_timeout=30):
        results = {kind: run_sweep_task.delay(kind, day) for kind in ("daily", "weekly",
                                                                      "monthly")}
        counts = {kind: result.get(timeout=60) for kind, result in results.items()}
        # Again: the same rows, updated.
        assert run_sweep_task.delay("weekly", day).get(timeout=60) == towns
    assert counts == {"daily": towns, "weekly": towns, "monthly": towns}
    assert all(result.successful() for result in results.values())
    assert DailyRecord.objects.filter(date=D(2026, 3, 10)).count() == towns
    assert WeeklySummary.objects.filter(week_start=D(2026, 3, 2)).count() == towns
    assert MonthlyAnalysis.objects.filter(month=D(2026, 2, 1)).count() == towns
    record = DailyRecord.objects.get(date=D(2026, 3, 10), town__code="620823103")
    assert record.figures["small_grids"] == 60


# --- The beat schedule -----------------------------------------------------------------------

def test_beat_runs_the_three_sweeps_in_shanghai_time():
    from config.celery import app

    assert app.conf.timezone == "Asia/Shanghai"
    schedule = app.conf.beat_schedule
    daily, weekly, monthly = (schedule[f"cadence-{k}"] for k in ("daily", "weekly", "monthly"))
    assert {e["task"] for e in (daily, weekly, monthly)} == {"cadence.tasks.run_sweep"}
    assert (daily["args"], weekly["args"], monthly["args"]) == (("daily",), ("weekly",),
                                                                ("monthly",))
    # Every evening at 20:30.
    assert daily["schedule"].hour == {20} and daily["schedule"].minute == {30}
    assert daily["schedule"].day_of_week == set(range(7))
    assert daily["schedule"].day_of_month == set(range(1, 32))
    # Monday at 07:00 (Celery counts Sunday as 0).
    assert weekly["schedule"].hour == {7} and weekly["schedule"].minute == {0}
    assert weekly["schedule"].day_of_week == {1}
    assert weekly["schedule"].day_of_month == set(range(1, 32))
    # The 1st of every month at 07:30.
    assert monthly["schedule"].hour == {7} and monthly["schedule"].minute == {30}
    assert monthly["schedule"].day_of_month == {1}
    assert monthly["schedule"].month_of_year == set(range(1, 13))


def test_beat_would_fire_at_the_right_moments():
    """The next run after a given one, in Shanghai time: the daily one the next evening at
    20:30; the weekly one after Sunday evening on Monday at 07:00; the monthly one after the
    morning of 31 December on 1 January at 07:30."""
    from config.celery import app

    tz = app.timezone
    schedule = app.conf.beat_schedule

    def next_run(name, after):
        start, delta, _now = schedule[name]["schedule"].remaining_delta(after, tz=tz)
        return start + delta

    def shanghai(*args):
        return datetime.datetime(*args, tzinfo=tz)

    assert next_run("cadence-daily", shanghai(2026, 3, 10, 20, 30)) == shanghai(
        2026, 3, 11, 20, 30)
    assert next_run("cadence-weekly", shanghai(2026, 10, 11, 21, 0)) == shanghai(
        2026, 10, 12, 7, 0)
    assert next_run("cadence-monthly", shanghai(2025, 12, 31, 8, 0)) == shanghai(
        2026, 1, 1, 7, 30)
