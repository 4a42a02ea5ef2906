"""Daily screening reports (一日一排查化解): one per small grid per day, editable
that day only, a zero report needs no findings, findings otherwise, the grid member's own grid
only, and linked disputes of that grid only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cadence.models import DailyScreeningReport
from cadence.services import screening_report_save
from tests.disputes.factories import demo_small_grid

from .factories import at, dispute

pytestmark = pytest.mark.django_db

AREAS = ["production_livelihood", "neighbour_relations"]


def zero_report(t, grid=(0, 0), **overrides):
    i, j = grid
    data = {"by": t.gm[i][j], "small_grid": t.sg[i][j], "areas": AREAS, "nothing_found": True}
    data.update(overrides)
    return screening_report_save(**data)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_zero_report_needs_no_findings(qf, clock):
    clock(at(2026, 3, 10, 18))
    report = zero_report(qf)
    assert report.date == datetime.date(2026, 3, 10)
    assert report.nothing_found and report.findings == ""
    assert report.areas == AREAS
    assert report.reporter == qf.gm[0][0].staff
    assert report.created_by == qf.gm[0][0]


def test_second_save_the_same_day_edits_the_one_report(qf, clock):
    clock(at(2026, 3, 10, 9))
    first = zero_report(qf)
    case = dispute(qf, found_at=at(2026, 3, 10, 8))
    clock(at(2026, 3, 10, 21))
    second = zero_report(qf, nothing_found=False, findings="  两户因排水沟争吵，已登记。 ",
                         areas=["neighbour_relations", "neighbour_relations"],
                         disputes=[case])
    assert second.pk == first.pk
    assert DailyScreeningReport.objects.filter(small_grid=qf.sg[0][0]).count() == 1
    second.refresh_from_db()
    assert not second.nothing_found
    assert second.findings == "两户因排水沟争吵，已登记。"
    assert second.areas == ["neighbour_relations"]
    assert list(second.disputes.all()) == [case]
    # Back to a zero report the same evening: the link goes too.
    zero_report(qf)
    second.refresh_from_db()
    assert second.nothing_found and second.findings == ""
    assert not second.disputes.exists()


def test_saving_on_a_later_day_files_a_new_report_and_leaves_the_earlier_one(qf, clock):
    clock(at(2026, 3, 10, 18))
    yesterday = zero_report(qf)
    assert yesterday.editable
    clock(at(2026, 3, 11, 8))
    today = zero_report(qf, nothing_found=False, findings="发现土地承包纠纷苗头。")
    assert today.pk != yesterday.pk
    assert today.date == datetime.date(2026, 3, 11)
    yesterday.refresh_from_db()
    assert yesterday.nothing_found and yesterday.findings == ""
    assert not yesterday.editable and today.editable
    assert DailyScreeningReport.objects.filter(small_grid=qf.sg[0][0]).count() == 2


def test_the_database_holds_one_report_per_grid_per_day(qf, clock):
    clock(at(2026, 3, 10, 18))
    report = zero_report(qf)
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyScreeningReport.objects.create(small_grid=report.small_grid, date=report.date,
                                            areas=AREAS, nothing_found=True,
                                            created_by=qf.gm[0][0])


def test_a_day_just_after_midnight_in_shanghai_is_the_new_day(qf, clock):
    # 00:05 in Asia/Shanghai is still the day before in UTC.
    clock(at(2026, 3, 11, 0, 5))
    assert zero_report(qf).date == datetime.date(2026, 3, 11)


def test_findings_are_required_unless_it_is_a_zero_report(qf, clock):
    clock(at(2026, 3, 10, 18))
    with pytest.raises(ValidationError) as excinfo:
        zero_report(qf, nothing_found=False, findings="   ")
    assert errors_of(excinfo) == {"findings": ["请填写发现的问题，或选择“零报告”。"]}
    assert not DailyScreeningReport.objects.filter(small_grid=qf.sg[0][0]).exists()


def test_a_zero_report_with_findings_is_refused(qf, clock):
    clock(at(2026, 3, 10, 18))
    with pytest.raises(ValidationError) as excinfo:
        zero_report(qf, findings="有争执")
    assert errors_of(excinfo) == {
        "findings": ["零报告不填写发现的问题；如有问题请取消“零报告”。"]}


def test_what_was_checked_is_required_and_must_be_known(qf, clock):
    clock(at(2026, 3, 10, 18))
    with pytest.raises(ValidationError) as excinfo:
        zero_report(qf, areas=[])
    assert errors_of(excinfo) == {"areas": ["请选择今天排查的内容。"]}
    with pytest.raises(ValidationError) as excinfo:
        zero_report(qf, areas=["production_livelihood", "gossip"])
    assert errors_of(excinfo) == {"areas": ["排查内容无效。"]}


def test_all_errors_are_reported_at_once(qf, clock):
    clock(at(2026, 3, 10, 18))
    other = dispute(qf, found_at=at(2026, 3, 10, 9), grid=(0, 1))
    with pytest.raises(ValidationError) as excinfo:
        zero_report(qf, areas=[], nothing_found=False, disputes=[other])
    assert set(errors_of(excinfo)) == {"areas", "findings", "disputes"}


def test_grid_member_cannot_report_for_another_grid(qf, clock):
    clock(at(2026, 3, 10, 18))
    with pytest.raises(PermissionDenied, match="您不能为该网格填报排查报告。"):
        screening_report_save(by=qf.gm[0][0], small_grid=qf.sg[0][1], areas=AREAS,
                              nothing_found=True)
    with pytest.raises(PermissionDenied):
        screening_report_save(by=qf.gm[0][0], small_grid=demo_small_grid(), areas=AREAS,
                              nothing_found=True)
    assert not DailyScreeningReport.objects.filter(
        small_grid__in=[qf.sg[0][1], demo_small_grid()], date=datetime.date(2026, 3, 10)
    ).exists()


def test_the_grid_leader_may_file_for_a_small_grid_of_the_village(qf, clock):
    clock(at(2026, 3, 10, 18))
    report = screening_report_save(by=qf.gl[0], small_grid=qf.sg[0][1], areas=AREAS,
                                   nothing_found=True)
    assert report.reporter == qf.gl[0].staff


def test_linked_disputes_must_be_of_the_reporting_grid(qf, clock):
    clock(at(2026, 3, 10, 18))
    own = dispute(qf, found_at=at(2026, 3, 10, 9))
    neighbours = dispute(qf, found_at=at(2026, 3, 10, 9), grid=(0, 1))
    with pytest.raises(ValidationError) as excinfo:
        zero_report(qf, nothing_found=False, findings="两起纠纷。", disputes=[own, neighbours])
    assert errors_of(excinfo) == {"disputes": ["只能关联本网格的纠纷。"]}
    report = zero_report(qf, nothing_found=False, findings="一起纠纷。", disputes=[own])
    assert list(report.disputes.all()) == [own]
    assert list(own.screening_reports.all()) == [report]


# --- The page: today's report only --------------------------------------------------------------

def test_page_offers_today_only_and_shows_yesterdays_report_read_only(client_as, gm01):
    """The demo has gm01's reports of earlier days but none for today: the form is blank
    (yesterday's is not offered for editing), and yesterday's is listed as text only."""
    grid = demo_small_grid()
    today = timezone.localdate()
    yesterday = DailyScreeningReport.objects.get(small_grid=grid,
                                                 date=today - datetime.timedelta(days=1))
    DailyScreeningReport.objects.filter(pk=yesterday.pk).update(
        nothing_found=False, findings="昨日发现宅基地边界争执。")
    client = client_as("gm01")
    response = client.get(reverse("cadence:screening"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {}
    assert form["findings"].value() in (None, "")
    html = response.content.decode()
    assert "昨日发现宅基地边界争执。" in html
    assert html.count('data-testid="screening-report"') >= 2
    assert f"{yesterday.date:%Y-%m-%d} · {grid.name}" in html
    # Saving now files today's report and leaves yesterday's as it was.
    response = client.post(reverse("cadence:screening"), {
        "small_grid": grid.pk, "areas": AREAS, "nothing_found": "on", "findings": ""})
    assert response.status_code == 302
    yesterday.refresh_from_db()
    assert yesterday.findings == "昨日发现宅基地边界争执。" and not yesterday.nothing_found
    assert DailyScreeningReport.objects.get(small_grid=grid, date=today).nothing_found


def test_page_offers_todays_report_for_editing(client_as, gm01):
    grid = demo_small_grid()
    screening_report_save(by=gm01, small_grid=grid, areas=["work_travel"], nothing_found=False,
                          findings="务工人员工资拖欠苗头。")
    response = client_as("gm01").get(reverse("cadence:screening"))
    form = response.context["form"]
    assert form.initial["findings"] == "务工人员工资拖欠苗头。"
    assert form.initial["areas"] == ["work_travel"]
    assert form.initial["nothing_found"] is False


def test_page_shows_the_service_errors_in_chinese(client_as, gm01):
    response = client_as("gm01").post(reverse("cadence:screening"), {
        "small_grid": demo_small_grid().pk, "areas": AREAS, "findings": ""})
    assert response.status_code == 200
    assert "请填写发现的问题，或选择“零报告”。" in response.content.decode()
    assert not DailyScreeningReport.objects.filter(small_grid=demo_small_grid(),
                                                   date=timezone.localdate()).exists()


def test_page_refuses_a_grid_outside_the_users_scope(client_as, gm01):
    response = client_as("gm01").post(reverse("cadence:screening"), {
        "small_grid": demo_small_grid(2, 1).pk, "areas": AREAS, "nothing_found": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["small_grid"]
    assert not DailyScreeningReport.objects.filter(small_grid=demo_small_grid(2, 1),
                                                   date=timezone.localdate(),
                                                   created_by=gm01).exists()
