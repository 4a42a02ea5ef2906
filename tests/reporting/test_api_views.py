"""The API (``/api/v1/statistics/…``, ``/api/v1/bulletins/``) and the pages of reporting
upward, as the users who use them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cadence.services import weekly_sweep
from grid.models import County, Role
from reporting import services
from reporting.models import StatisticsReport
from reporting.periods import parse_period
from tests.cadence.factories import at
from tests.grid.factories import staff_with_role

from .conftest import hand_counted_cases, town_with_office

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user):
    client = Client()
    client.force_login(user)
    return client


def county_user():
    return staff_with_role(Role.COUNTY_USER, County.objects.get(code="620823"),
                           starts_on=datetime.date(2020, 1, 1))


def test_the_statistics_api_answers_month_quarter_and_year(mt, clock,
                                                          django_assert_max_num_queries):
    hand_counted_cases(mt, clock)
    client = api(mt.judicial)
    url = reverse("v1:statistics-mediation")
    answer = client.get(url, {"town": mt.town.pk, "period": "2026-11"}).json()
    assert answer["period"] == "2026-11" and answer["period_label"] == "2026年11月"
    assert answer["total"]["screened"] == 4 and answer["total"]["success_rate"] == 75.0
    neighbour = next(r for r in answer["rows"] if r["category"] == "neighbour")
    assert neighbour["label"] == "邻里" and neighbour["values"]["written"] == 1
    assert {s["source"]: s["n"] for s in answer["sources"]}["court"] == 1
    assert {p["risk"]: (p["cases"], p["people"]) for p in answer["prevention"]}[
        "group_fight"] == (1, 12)
    assert answer["filed_report"] is None
    assert [c["key"] for c in answer["columns"]][:3] == ["screened", "accepted", "mediated"]
    q4 = client.get(url, {"town": mt.town.pk, "period": "2026-Q4"}).json()
    assert q4["total"]["screened"] == 6 and q4["period_label"] == "2026年第四季度"
    with django_assert_max_num_queries(4):
        year = client.get(url, {"town": mt.town.pk, "period": "2026"}).json()
    assert year["total"]["screened"] == 7  # H, found in September, too
    assert client.get(url, {"town": mt.town.pk, "period": "2026-13"}).status_code == 400
    assert client.get(url, {"town": mt.town.pk}).status_code == 400
    other = town_with_office("远山镇")
    missing = client.get(url, {"town": 987654321, "period": "2026"})
    outside = client.get(url, {"town": other.town.pk, "period": "2026"})
    assert missing.status_code == outside.status_code == 404
    assert missing.json() == outside.json()
    assert api(mt.gm[0][0]).get(url, {"town": mt.town.pk, "period": "2026"}).status_code == 404


def test_drafting_filing_and_correcting_through_the_api(mt, clock):
    hand_counted_cases(mt, clock)
    client = api(mt.judicial)
    created = client.post(reverse("v1:report-list"), {"town": mt.town.pk,
                                                      "period": "2026-11"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "draft" and body["available_actions"] == ["file"]
    pk = body["id"]
    assert api(mt.leader).post(reverse("v1:report-file", args=[pk]), {},
                               format="json").status_code == 403
    filed = client.post(reverse("v1:report-file", args=[pk]), {"note": "按期上报"},
                        format="json")
    assert filed.status_code == 200 and filed.json()["state"] == "filed"
    assert filed.json()["figures"]["total"]["succeeded"] == 3
    assert client.post(reverse("v1:report-file", args=[pk]), {},
                       format="json").status_code == 409
    assert client.post(reverse("v1:report-correct", args=[pk]), {},
                       format="json").status_code == 400
    corrected = client.post(reverse("v1:report-correct", args=[pk]), {"note": "补报一件。"},
                            format="json")
    assert corrected.status_code == 200 and corrected.json()["state"] == "superseded"
    new = corrected.json()["corrected_by"]
    assert client.get(reverse("v1:report-detail", args=[new])).json()["version"] == 2
    listed = client.get(reverse("v1:report-list"), {"period": "2026-11"}).json()["results"]
    assert sorted(r["version"] for r in listed) == [1, 2]
    history = client.get(reverse("v1:report-history", args=[pk])).json()
    assert [e["action"] for e in history] == ["create", "file", "correct"]
    live = client.get(reverse("v1:statistics-mediation"),
                      {"town": mt.town.pk, "period": "2026-11"}).json()
    assert live["filed_report"] == new
    # Not over yet: refused.
    clock(at(2027, 1, 15, 9))
    assert client.post(reverse("v1:report-list"), {"town": mt.town.pk, "period": "2027-01"},
                       format="json").status_code == 400


def test_the_report_pages_print_and_export(mt, clock, django_assert_max_num_queries):
    hand_counted_cases(mt, clock)
    client = page(mt.judicial)
    index = client.get(reverse("reporting:index"))
    assert index.status_code == 200 and "制作报表" in index.content.decode()
    response = client.post(reverse("reporting:report_draft"),
                           {"town": mt.town.pk, "period": "2026-Q4"})
    report = StatisticsReport.objects.get(town=mt.town, period="2026-Q4")
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    with django_assert_max_num_queries(20):
        detail = client.get(report.get_absolute_url())
    text = detail.content.decode()
    assert "2026年第四季度" in text and "上报县司法局" in text and "66.7" in text
    assert client.post(reverse("reporting:report_action", args=[report.pk, "file"]),
                       {"seen_state": "draft", "note": ""}).status_code == 302
    report.refresh_from_db()
    assert report.state == "filed"
    xlsx = client.get(reverse("reporting:report_xlsx", args=[report.pk]))
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws["A1"].value == "人民调解统计报表" and ws.cell(row=20, column=1).value == "合计"
    assert ws.cell(row=20, column=2).value == 6
    bad = client.post(reverse("reporting:report_draft"), {"town": mt.town.pk,
                                                          "period": "2026-Q9"})
    assert bad.status_code == 400 and "统计期间格式不正确" in bad.content.decode()


def test_the_county_page_lists_towns_total_and_those_missing(mt, clock):
    hand_counted_cases(mt, clock)
    silent = town_with_office("静水镇")
    report = services.statistics_report_draft(town=mt.town, period=parse_period("2026-11"),
                                              by=mt.judicial)
    services.statistics_report_file(report=report, by=mt.judicial)
    client = page(county_user())
    response = client.get(reverse("reporting:county"), {"period": "2026-11"})
    text = response.content.decode()
    assert response.status_code == 200 and "明月镇" in text and "全县合计" in text
    assert "静水镇" in text.split('data-testid="missing"')[1].split("</p>")[0]
    sheet = client.get(reverse("reporting:county"), {"period": "2026-11", "format": "xlsx"})
    ws = load_workbook(io.BytesIO(sheet.content)).active
    names = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    assert "明月镇" in names and "全县合计" in names
    assert silent.town.name not in names[:names.index("全县合计")]
    assert client.get(reverse("reporting:county"), {"period": "x"}).status_code == 404
    # A grid member reads no town's reports.
    assert page(mt.gm[0][0]).get(reverse("reporting:county")).status_code == 404


def test_bulletins_through_the_api(mt, clock):
    clock(at(2026, 11, 16, 7))
    summary = weekly_sweep(town=mt.town, day=datetime.date(2026, 11, 16))
    bulletin = services.bulletin_draft(source=summary, by=mt.leader)
    leader = api(mt.leader)
    detail = leader.get(reverse("v1:bulletin-detail", args=[bulletin.pk])).json()
    assert detail["available_actions"] == ["edit", "issue"]
    assert api(mt.gl[0]).get(reverse("v1:bulletin-detail", args=[bulletin.pk])).status_code \
        == 404
    issued = leader.post(reverse("v1:bulletin-issue", args=[bulletin.pk]),
                         {"title": "本周通报", "body": "正文。"}, format="json")
    assert issued.status_code == 200 and issued.json()["state"] == "issued"
    assert issued.json()["title"] == "本周通报"
    grid_leader = api(mt.gl[0])
    assert [b["id"] for b in grid_leader.get(reverse("v1:bulletin-list")).json()["results"]] \
        == [bulletin.pk]
    assert grid_leader.get(reverse("v1:bulletin-detail", args=[bulletin.pk])).json()[
        "available_actions"] == ["read"]
    read = grid_leader.post(reverse("v1:bulletin-read", args=[bulletin.pk]), {},
                            format="json")
    assert read.status_code == 200
    user = get_user_model().objects.get(pk=mt.gl[0].pk)
    assert [r["read_at"] is not None for r in read.json()["recipients"]
            if r["user"] == user.username] == [True]
    assert grid_leader.post(reverse("v1:bulletin-read", args=[bulletin.pk]), {},
                            format="json").status_code == 403
