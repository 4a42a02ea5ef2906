"""Stability-risk assessment (稳定风险评估): an urgently escalated dispute and an
informant's instability report wait for leadership's assessment; leadership alone records the
level and reasons; a red assessment proposes a notice."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from disputes.services import dispute_escalate_urgent
from inbox.models import Notification
from supervision import services
from supervision.models import InstabilityReport, RiskAssessment, SupervisionNotice
from supervision.selectors import pending_assessments_for_user
from tests.disputes.factories import demo_small_grid, make_dispute

from .factories import staff_of

pytestmark = pytest.mark.django_db

JUSTIFICATION = "当事人扬言采取极端行为，需立即由镇调委会介入。"


def urgent_dispute(*, by):
    dispute = make_dispute(by=by, risk_level="red", title="赵某与钱某宅基地纠纷")
    dispute_escalate_urgent(dispute=dispute, by=by, justification=JUSTIFICATION)
    dispute.refresh_from_db()
    return dispute


@pytest.fixture
def pending(gm01):
    """The pending assessment of a dispute just escalated urgently."""
    return RiskAssessment.objects.get(dispute=urgent_dispute(by=gm01))


# --- Requests ------------------------------------------------------------------------------------

def test_an_urgent_escalation_waits_for_assessment_and_leadership_is_told(gm01, leader):
    dispute = urgent_dispute(by=gm01)
    assert dispute.state == "chair"
    assessment = RiskAssessment.objects.get(dispute=dispute)
    assert assessment.is_pending and assessment.level == ""
    assert assessment.requested_reason == JUSTIFICATION
    assert assessment.town_id == dispute.town_id
    assert pending_assessments_for_user(user=leader).filter(pk=assessment.pk).exists()
    told = Notification.objects.filter(recipient=leader, url=assessment.get_absolute_url())
    assert told.count() == 1 and dispute.number in told.get().title


def test_a_subject_waits_in_one_pending_request(pending):
    again = services.assessment_request(town=pending.town, dispute=pending.dispute,
                                        reason="再次提请。")
    assert again == pending
    assert RiskAssessment.objects.filter(dispute=pending.dispute).count() == 1


def test_pending_assessments_are_shown_to_leadership_only(pending, user_factory, client_as):
    assert not pending_assessments_for_user(user=user_factory("gl01")).exists()
    page = client_as("leader").get("/supervision/mine/")
    assert pending.dispute.number in page.content.decode()


def test_the_demo_has_an_instability_report_waiting(leader):
    assert pending_assessments_for_user(user=leader).filter(report__isnull=False).exists()


# --- Recording -----------------------------------------------------------------------------------

def test_leadership_records_the_level_and_reasons(pending, leader):
    assessment = services.assessment_record(by=leader, assessment=pending, level="yellow",
                                            reasons="矛盾尚可控，需持续关注。")
    assert (assessment.level, assessment.reasons) == ("yellow", "矛盾尚可控，需持续关注。")
    assert assessment.assessor == staff_of(leader)
    assert assessment.assessed_at is not None
    assert not assessment.is_pending and not assessment.proposes_notice
    assert not pending_assessments_for_user(user=leader).filter(pk=pending.pk).exists()


def test_an_assessment_is_recorded_once(pending, leader):
    services.assessment_record(by=leader, assessment=pending, level="blue", reasons="已稳控。")
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(by=leader, assessment=pending, level="red", reasons="再评。")
    assert set(exc.value.message_dict) == {"level"}
    pending.refresh_from_db()
    assert pending.level == "blue"


@pytest.mark.parametrize("username", ["gl01", "chair", "office", "gm01"])
def test_only_leadership_assesses(pending, user_factory, username):
    with pytest.raises(PermissionDenied):
        services.assessment_record(by=user_factory(username), assessment=pending, level="red",
                                   reasons="红色。")
    pending.refresh_from_db()
    assert pending.is_pending


@pytest.mark.parametrize("level, reasons, field", [("", "理由", "level"), ("purple", "理由", "level"),
                                                    ("red", "  ", "reasons")])
def test_an_assessment_needs_a_level_and_reasons(pending, leader, level, reasons, field):
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(by=leader, assessment=pending, level=level, reasons=reasons)
    assert set(exc.value.message_dict) == {field}
    pending.refresh_from_db()
    assert pending.is_pending


def test_leadership_assesses_a_dispute_directly(gm01, leader):
    dispute = make_dispute(by=gm01)
    assessment = services.assessment_record(by=leader, dispute=dispute, level="blue",
                                            reasons="普通邻里纠纷。")
    assert assessment.dispute == dispute and assessment.town_id == dispute.town_id


# --- Red proposes a notice -----------------------------------------------------------------------

def test_a_red_assessment_proposes_a_notice_on_the_page(pending, client_as, leader):
    client = client_as("leader")
    response = client.post(pending.get_absolute_url(), {"level": "red", "reasons": "矛盾激化。"})
    issue_url = f"{reverse('supervision:notice_issue')}?assessment={pending.pk}"
    assert response.status_code == 302 and response["Location"] == issue_url
    pending.refresh_from_db()
    assert pending.level == "red" and pending.proposes_notice

    form = client.get(issue_url)
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert initial["title"] == "赵某与钱某宅基地纠纷"
    assert initial["urgency"] == "urgent"
    assert initial["target_large_grids"] == [pending.dispute.small_grid.large_grid_id]

    response = client.post(issue_url, {
        "kind": "supervision", "title": "赵某与钱某宅基地纠纷（督办）", "situation": "矛盾激化。",
        "target_large_grids": [pending.dispute.small_grid.large_grid_id],
        "leader_in_charge": staff_of(leader).pk, "measures": "镇调委会3日内组织调解。",
        "responsible": staff_of(pending.dispute.handler.user).pk, "urgency": "urgent"})
    assert response.status_code == 302
    notice = SupervisionNotice.objects.get(assessment=pending)
    assert notice.dispute == pending.dispute
    assert response["Location"] == notice.get_absolute_url()


def test_a_yellow_assessment_goes_back_to_the_list(pending, client_as):
    response = client_as("leader").post(pending.get_absolute_url(),
                                        {"level": "yellow", "reasons": "需关注。"})
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:assessments")


@pytest.mark.parametrize("username", ["gl01", "office"])
def test_assessment_pages_are_for_leadership(pending, client_as, username):
    client = client_as(username)
    assert client.get("/supervision/assessments/").status_code == 403
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert client.post(pending.get_absolute_url(),
                       {"level": "red", "reasons": "x"}).status_code == 404
    assert client.get(f"/supervision/assessments/new/?dispute={pending.dispute_id}"
                      ).status_code == 403
    pending.refresh_from_db()
    assert pending.is_pending


def test_leadership_assesses_a_dispute_from_its_page(gm01, client_as):
    dispute = make_dispute(by=gm01)
    client = client_as("leader")
    url = f"/supervision/assessments/new/?dispute={dispute.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"level": "blue", "reasons": "普通纠纷。"})
    assert response.status_code == 302
    assert RiskAssessment.objects.get(dispute=dispute).level == "blue"
    assert client.get("/supervision/assessments/").status_code == 200


# --- Instability reports -------------------------------------------------------------------------

def test_an_instability_report_by_a_grid_member_waits_for_assessment(gm01, leader):
    report = services.instability_report_create(by=gm01, small_grid=demo_small_grid(),
                                                content="返乡人员因工资拖欠情绪激动。")
    assert (report.reported_by, report.small_grid, report.town) == (
        gm01, demo_small_grid(), demo_small_grid().large_grid.town)
    assessment = RiskAssessment.objects.get(report=report)
    assert assessment.is_pending
    assert Notification.objects.filter(recipient=leader,
                                       url=assessment.get_absolute_url()).count() == 1


def test_the_reason_the_system_gave_reads_in_the_readers_language(client_as, gm01, leader):
    from django.conf import settings
    from django.utils import translation

    report = services.instability_report_create(by=gm01, small_grid=demo_small_grid(),
                                                content="返乡人员因工资拖欠情绪激动。")
    assessment = RiskAssessment.objects.get(report=report)
    assert assessment.requested_reason == "信息员报告不稳定信息"  # the Chinese text kept
    client = client_as("leader")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        page = client.get("/supervision/assessments/").content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    with translation.override("en"):
        english = translation.gettext("信息员报告不稳定信息")
    assert english != "信息员报告不稳定信息" and english in page
    assert "信息员报告不稳定信息" not in page


def test_an_instability_report_outside_ones_grid_is_refused(gm01):
    before = InstabilityReport.objects.count()
    with pytest.raises(PermissionDenied):
        services.instability_report_create(by=gm01, small_grid=demo_small_grid(large_grid=2),
                                           content="马寨村有人聚集。")
    assert InstabilityReport.objects.count() == before


def test_an_instability_report_needs_content(gm01):
    with pytest.raises(ValidationError) as exc:
        services.instability_report_create(by=gm01, small_grid=demo_small_grid(), content=" ")
    assert set(exc.value.message_dict) == {"content"}


def test_a_grid_member_reports_instability_on_the_page(client_as):
    client = client_as("gm01")
    assert client.get("/supervision/instability/new/").status_code == 200
    before = RiskAssessment.objects.filter(report__isnull=False).count()
    response = client.post("/supervision/instability/new/", {
        "small_grid": demo_small_grid().pk, "content": "有人扬言到县上讨说法。"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert RiskAssessment.objects.filter(report__isnull=False).count() == before + 1

    # Large grid 2's small grid is not offered, and not accepted.
    response = client.post("/supervision/instability/new/", {
        "small_grid": demo_small_grid(large_grid=2).pk, "content": "马寨村有人聚集。"})
    assert response.status_code == 200
    assert "small_grid" in response.context["form"].errors
    assert not InstabilityReport.objects.filter(content="马寨村有人聚集。").exists()
