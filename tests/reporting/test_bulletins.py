"""Bulletins (情况通报): drafted from the weekly summary or the monthly analysis with the
screening rate per village, the overdue cases and notices named by village and person, the
skip-level and group petitions and what comes next; edited and issued by the leadership to
villages and units in the inbox; read by each recipient; the issued text kept."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm import TransitionNotAllowed

from cadence.services import monthly_sweep, weekly_sweep
from inbox.models import Notification
from reporting import services
from reporting.models import Bulletin
from tests.cadence.factories import at, dispute, notice

from .conftest import town_with_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafted(mt, clock):
    """A case overdue at the grid member's tier in village 1 and a notice past its deadline,
    then the weekly summary of 2026-11-09 and its draft bulletin."""
    clock(at(2026, 11, 9, 9))
    case = dispute(mt, found_at=at(2026, 11, 9, 9), party="逾期")
    notice(mt, deadline=at(2026, 11, 12, 18))
    clock(at(2026, 11, 16, 7))
    summary = weekly_sweep(town=mt.town, day=datetime.date(2026, 11, 16))
    return case, services.bulletin_draft(source=summary, by=mt.leader)


def test_the_draft_names_villages_and_people(mt, drafted):
    case, bulletin = drafted
    assert (bulletin.kind, bulletin.state) == ("weekly", "draft")
    assert (bulletin.period_start, bulletin.period_end) == (datetime.date(2026, 11, 9),
                                                            datetime.date(2026, 11, 15))
    assert bulletin.title == "明月镇矛盾纠纷排查化解情况通报（2026-11-09至2026-11-15）"
    f = bulletin.figures
    assert [r["village"] for r in f["screening"]] == ["明月1村", "明月2村"]
    assert f["screening"][0]["expected"] == 14
    [overdue] = f["overdue_cases"]
    assert (overdue["number"], overdue["village"]) == (case.number, "明月1村")
    assert overdue["person"] == case.handler.name
    [late] = f["overdue_notices"]
    assert late["village"] == "明月1村" and late["person"] == mt.gl[0].staff.name
    assert case.number in bulletin.body and "明月1村" in bulletin.body
    assert "六、下一步工作" in bulletin.body
    # Drafted once: the second call returns the same bulletin.
    summary = mt.town.weekly_summaries.get()
    assert services.bulletin_draft(source=summary) == bulletin


def test_the_monthly_draft_carries_the_leaderships_decisions(mt, clock):
    clock(at(2026, 12, 1, 8))
    analysis = monthly_sweep(town=mt.town, day=datetime.date(2026, 12, 1))
    analysis.decisions = "集中开展土地纠纷排查。"
    analysis.save()
    bulletin = services.bulletin_draft(source=analysis, by=mt.leader)
    assert bulletin.kind == "monthly" and bulletin.period_end == datetime.date(2026, 11, 30)
    assert "集中开展土地纠纷排查。" in bulletin.body
    assert bulletin.title == "明月镇2026年11月矛盾纠纷排查化解情况通报"


def test_the_sweep_drafts_each_towns_bulletin_once(mt, drafted):
    assert services.bulletin_draft_sweep("weekly") >= 0
    assert services.bulletin_draft_sweep("weekly") == 0
    assert Bulletin.objects.filter(town=mt.town, kind="weekly").count() == 1


def test_leadership_edits_and_issues_to_villages_and_units_and_the_text_stays(mt, drafted):
    _case, bulletin = drafted
    with pytest.raises(PermissionDenied):
        services.bulletin_edit(bulletin=bulletin, by=mt.office, title="改", body="改")
    with pytest.raises(PermissionDenied):
        services.bulletin_issue(bulletin=bulletin, by=mt.gl[0], title="改", body="改")
    services.bulletin_edit(bulletin=bulletin, by=mt.leader, title=bulletin.title,
                           body=bulletin.body + "\n请各村于周五前报送整改情况。")
    services.bulletin_issue(bulletin=bulletin, by=mt.leader, title=bulletin.title,
                            body=bulletin.body)
    bulletin.refresh_from_db()
    assert bulletin.state == "issued" and bulletin.issued_at is not None
    recipients = {r.user: r.large_grid_id for r in bulletin.recipients.all()}
    assert recipients[mt.gl[0]] == mt.lg[0].pk and recipients[mt.gl[1]] == mt.lg[1].pk
    assert recipients[mt.office] is None and recipients[mt.judicial] is None
    assert recipients[mt.chair] is None and mt.leader not in recipients
    assert mt.gm[0][0] not in recipients
    assert Notification.objects.filter(recipient=mt.gl[0], url=bulletin.get_absolute_url(),
                                       title__contains=bulletin.title).exists()
    # Issued: the text is kept; no edit, no second issue.
    with pytest.raises(PermissionDenied):
        services.bulletin_edit(bulletin=bulletin, by=mt.leader, title="改", body="改")
    with pytest.raises(TransitionNotAllowed):
        services.bulletin_issue(bulletin=bulletin, by=mt.leader, title="改", body="改")
    assert "请各村于周五前报送整改情况。" in Bulletin.objects.get(pk=bulletin.pk).body
    # Each recipient reads it once; others cannot.
    services.bulletin_read(bulletin=bulletin, by=mt.gl[0])
    assert bulletin.recipients.get(user=mt.gl[0]).read_at is not None
    assert bulletin.recipients.get(user=mt.gl[1]).read_at is None
    with pytest.raises(PermissionDenied):
        services.bulletin_read(bulletin=bulletin, by=mt.gl[0])
    with pytest.raises(PermissionDenied):
        services.bulletin_read(bulletin=bulletin, by=mt.gm[0][0])
    assert list(bulletin.events.values_list("action", flat=True)) == [
        "create", "edit", "issue", "read"]


def test_a_recipient_sees_issued_bulletins_and_another_town_sees_none(mt, drafted, client_as):
    from reporting.selectors import bulletin_list_for_user

    _case, bulletin = drafted
    assert bulletin not in bulletin_list_for_user(user=mt.gl[0])  # a draft, not sent
    services.bulletin_issue(bulletin=bulletin, by=mt.leader, title=bulletin.title,
                            body=bulletin.body)
    assert bulletin in bulletin_list_for_user(user=mt.gl[0])
    assert bulletin not in bulletin_list_for_user(user=mt.gm[0][0])
    other = town_with_office("远山镇")
    assert bulletin not in bulletin_list_for_user(user=other.leader)
