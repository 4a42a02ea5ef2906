"""Filing the statistics report: drafted by the judicial office for a closed period, filed
once and frozen, corrected as a new version with both kept; the .xlsx in the official form's
layout read back; the county roll-up whose total is the sum of the towns."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm import TransitionNotAllowed
from openpyxl import load_workbook

from grid.models import County, Role
from reporting import exports, selectors, services
from reporting.models import StatisticsReport
from reporting.periods import parse_period
from reporting.states import ReportState
from tests.cadence.factories import at, dispute
from tests.grid.factories import staff_with_role

from .conftest import hand_counted_cases, oral, resolve, town_with_office

pytestmark = pytest.mark.django_db

NOV = parse_period("2026-11")


def filed(t, period=NOV):
    report = services.statistics_report_draft(town=t.town, period=period, by=t.judicial)
    services.statistics_report_file(report=report, by=t.judicial)
    report.refresh_from_db()
    return report


def test_only_the_towns_judicial_office_drafts_and_only_a_closed_period(mt, clock):
    clock(at(2026, 11, 30, 12))
    with pytest.raises(ValidationError):
        services.statistics_report_draft(town=mt.town, period=NOV, by=mt.judicial)
    clock(at(2026, 12, 1, 9))
    for user in (mt.leader, mt.office, mt.gm[0][0]):
        with pytest.raises(PermissionDenied):
            services.statistics_report_draft(town=mt.town, period=NOV, by=user)
    other = town_with_office("远山镇")
    with pytest.raises(PermissionDenied):
        services.statistics_report_draft(town=mt.town, period=NOV, by=other.judicial)
    report = services.statistics_report_draft(town=mt.town, period=NOV, by=mt.judicial)
    assert (report.state, report.version, report.period_kind) == ("draft", 1, "month")
    # Drafting again gives the version in force, not a second one.
    assert services.statistics_report_draft(town=mt.town, period=NOV, by=mt.judicial) == report
    assert list(report.events.values_list("action", flat=True)) == ["create"]


def test_a_filed_report_does_not_move_when_a_case_is_edited_afterwards(mt, clock):
    cases = hand_counted_cases(mt, clock)
    report = filed(mt)
    assert report.state == ReportState.FILED and report.filed_at is not None
    before = report.figures
    assert before["total"]["succeeded"] == 3
    # After filing: C (found in November) is resolved back-dated into November by the
    # clock, and a new case is logged as found in November.
    clock(at(2026, 11, 28, 9))
    resolve(mt, cases["C"], agreement=oral(datetime.date(2026, 11, 28)))
    dispute(mt, found_at=at(2026, 11, 28, 9), party="新增")
    clock(at(2027, 1, 6, 9))
    from reporting.figures import statistics_figures

    live = statistics_figures(town=mt.town, period=NOV)
    assert live["total"]["succeeded"] == 4 and live["total"]["screened"] == 5
    report.refresh_from_db()
    assert report.figures == before
    # Filed once: a second filing is refused.
    with pytest.raises(TransitionNotAllowed):
        services.statistics_report_file(report=report, by=mt.judicial)


def test_a_correction_is_a_new_version_with_its_reason_and_both_stay(mt, clock):
    cases = hand_counted_cases(mt, clock)
    first = filed(mt)
    clock(at(2026, 11, 28, 9))
    resolve(mt, cases["C"], agreement=oral(datetime.date(2026, 11, 28)))
    clock(at(2027, 1, 6, 9))
    with pytest.raises(ValidationError):
        services.statistics_report_correct(report=first, by=mt.judicial, reason=" ")
    with pytest.raises(PermissionDenied):
        services.statistics_report_correct(report=first, by=mt.leader, reason="漏报一件。")
    second = services.statistics_report_correct(report=first, by=mt.judicial,
                                                reason="漏报丙三婚姻纠纷调解成功一件。")
    first.refresh_from_db()
    assert (first.state, first.version) == (ReportState.SUPERSEDED, 1)
    assert (second.state, second.version, second.corrects_id) == (ReportState.FILED, 2,
                                                                  first.pk)
    assert second.correction_reason == "漏报丙三婚姻纠纷调解成功一件。"
    assert first.figures["total"]["succeeded"] == 3
    assert second.figures["total"]["succeeded"] == 4
    assert StatisticsReport.objects.filter(town=mt.town, period="2026-11").count() == 2
    assert list(StatisticsReport.objects.filed().filter(town=mt.town)) == [second]
    assert list(first.events.values_list("action", "to_state")) == [
        ("create", "draft"), ("file", "filed"), ("correct", "superseded")]
    assert list(second.events.values_list("action", "note")) == [
        ("correct", "漏报丙三婚姻纠纷调解成功一件。")]
    # A superseded version cannot be corrected again; the one in force can.
    with pytest.raises(TransitionNotAllowed):
        services.statistics_report_correct(report=first, by=mt.judicial, reason="再改。")
    third = services.statistics_report_correct(report=second, by=mt.judicial, reason="复核。")
    assert third.version == 3


def _sheet_rows(content: bytes):
    ws = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_the_xlsx_reads_back_in_the_official_forms_layout(mt, clock):
    hand_counted_cases(mt, clock)
    report = filed(mt, parse_period("2026-Q4"))
    rows = _sheet_rows(exports.report_xlsx(report))
    assert rows[0][0] == "人民调解统计报表"
    assert "明月镇司法所" in rows[1][0] and "2026年第四季度" in rows[1][0]
    assert "2026-10-01" in rows[1][0] and "2026-12-31" in rows[1][0]
    assert report.handler.name in rows[2][0] and "2027-01-05" in rows[2][0]
    header = rows[3]
    assert header[0] == "纠纷类别"
    assert header[1:5] == ["排查纠纷（件）", "受理调解（件）", "调解（件）", "调解成功（件）"]
    assert "防止民转刑案件（件）" in header and "委托移送：法院" in header
    body = {r[0]: dict(zip(header[1:], r[1:], strict=True)) for r in rows[4:]}
    assert len(body) == 16  # fifteen categories and the total
    total = body["合计"]
    assert (total["排查纠纷（件）"], total["调解成功（件）"], total["调解成功率（%）"]) == (6, 4, 66.7)
    assert total["协议涉及金额（元）"] == 6800
    assert total["防止群体性上访（人）"] == 20
    assert body["劳动争议"]["口头协议（件）"] == 1
    assert body["房屋宅基地"]["调解成功率（%）"] == "—"
    for column in header[1:]:
        if column != "调解成功率（%）":
            assert total[column] == sum(body[c][column] for c in body if c != "合计"), column


def test_the_county_total_is_the_sum_of_the_towns(mt, clock):
    hand_counted_cases(mt, clock)
    second = town_with_office("远山镇")
    clock(at(2026, 11, 8, 9))
    for i in range(3):
        case = dispute(second, found_at=at(2026, 11, 8, 9), category="contract",
                       party=f"远{i}", source="court_entrustment")
        if i:
            resolve(second, case, agreement=oral(datetime.date(2026, 11, 8)),
                    averted={"civil_to_criminal": 2})
    silent = town_with_office("静水镇")
    clock(at(2026, 12, 3, 9))
    a, b = filed(mt), filed(second)
    county = staff_with_role(Role.COUNTY_USER, County.objects.get(code="620823"),
                             starts_on=datetime.date(2020, 1, 1))
    selectors.county_rollup(user=county, period=NOV)  # the user's scope, once per request
    with CaptureQueriesContext(connection) as ctx:
        rollup = selectors.county_rollup(user=county, period=NOV)
    assert len(ctx.captured_queries) == 2  # the towns, their filed reports
    names = [r["town"].name for r in rollup["rows"]]
    assert "明月镇" in names and "远山镇" in names
    assert silent.town in rollup["missing"] and mt.town not in rollup["missing"]
    ours = [r for r in rollup["rows"] if r["town"] in (mt.town, second.town)]
    assert [r["report"] for r in ours] == [a, b] or [r["report"] for r in ours] == [b, a]
    for key in ("screened", "succeeded", "amount", "source_court", "civil_to_criminal_people"):
        assert rollup["total"][key] == sum(r["total"][key] for r in rollup["rows"]), key
    assert b.figures["total"]["civil_to_criminal_people"] == 4
    assert rollup["total"]["success_rate"] == round(
        100 * rollup["total"]["succeeded"] / rollup["total"]["mediated"], 1)
    by_category = {r["category"]: r for r in rollup["by_category"]}
    assert by_category["contract"]["screened"] == sum(
        next(c for c in r["report"].figures["rows"] if c["category"] == "contract")["screened"]
        for r in rollup["rows"])
    # The sheet: one row a filed town, the county total, and who has not filed.
    rows = _sheet_rows(exports.county_xlsx(rollup, county_name="崇信县", preparer="县司法局"))
    assert rows[0][0] == "崇信县人民调解统计汇总表"
    header = rows[2]
    towns = {r[0]: dict(zip(header[1:], r[1:], strict=True)) for r in rows[3:]
             if r[0] and r[1] is not None}
    assert towns["全县合计"]["排查纠纷（件）"] == sum(
        v["排查纠纷（件）"] for k, v in towns.items() if k != "全县合计")
    assert towns["远山镇"]["防止民转刑案件（人）"] == 4
    assert any("静水镇" in str(r[0]) for r in rows if str(r[0]).startswith("未上报"))
    # A correction replaces the town's figures in the roll-up.
    c = services.statistics_report_correct(report=b, by=second.judicial, reason="复核。")
    again = selectors.county_rollup(user=county, period=NOV)
    assert c in [r["report"] for r in again["rows"]] and b not in [
        r["report"] for r in again["rows"]]
