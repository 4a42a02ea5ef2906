"""Petition–mediation docking both ways (访调对接): a claim whose parties agree
becomes a linked dispute in one step, the petition shows the dispute's state and gets its reply
drafted from the outcome; matters that cannot be docked are refused with the reason; a dispute
referred to the petition office becomes a linked petition."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from disputes import services as dispute_services
from disputes.models import Dispute
from inbox.models import Notification
from petitions import permissions, services
from petitions.models import Petition
from tests.disputes.factories import escalate_to, make_dispute, resolve
from tests.disputes.factories import party as dispute_party

from .factories import (
    ID_NUMBER,
    PHONE,
    accept,
    escalate,
    make_petition,
    petitioner,
    staff_of,
)

pytestmark = pytest.mark.django_db

RESPONDENT = {"name": "吴国华", "phone": "13993308888"}


def claim_in_hand(by, **overrides):
    """An accepted claim (申诉求决类), handled at the grid by its proxy."""
    return accept(make_petition(by=by, **overrides), by=by)


def dock(petition, *, by, parties_agree=True, **kwargs):
    kwargs.setdefault("respondents", [RESPONDENT])
    kwargs.setdefault("category", "neighbour")
    return services.petition_dock_to_dispute(petition=petition, by=by,
                                             parties_agree=parties_agree, **kwargs)


def test_docking_a_claim_creates_a_linked_dispute_with_the_petitioners_as_applicants(gm01):
    petition = claim_in_hand(gm01, people_count=2, petitioners=[
        petitioner(), petitioner(name="王建业", phone="13900003333", id_number="")])
    dispute = dock(petition, by=gm01)
    assert petition.docked_dispute == dispute
    assert petition.state == "grid", "the petition stays in hand while mediation runs"
    assert (dispute.source, dispute.title, dispute.description, dispute.small_grid,
            dispute.category) == ("petition_docking", petition.subject, petition.content,
                                  petition.small_grid, "neighbour")
    assert dispute.state == "grid_member" and dispute.handler == staff_of(gm01)
    assert list(dispute.parties.order_by("id").values_list("role", "name", "phone",
                                                           "id_number")) == [
        ("applicant", "王建设", PHONE, ID_NUMBER), ("applicant", "王建业", "13900003333", ""),
        ("respondent", "吴国华", "13993308888", "")]
    event = petition.events.order_by("-id").first()
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "dock", gm01, "grid", "grid")
    assert dispute.number in event.note
    assert petition.number in dispute.events.get(action="create").note


def test_the_petition_shows_the_docked_disputes_state(gm01, api_as, client_as):
    petition = claim_in_hand(gm01)
    dispute = dock(petition, by=gm01)
    detail = api_as("gm01").get(f"/api/v1/petitions/{petition.pk}/").data
    assert (detail["docked_dispute"], detail["docked_dispute_state"]) == (
        dispute.pk, "grid_member")
    escalate_to(dispute, "mediator")
    detail = api_as("gm01").get(f"/api/v1/petitions/{petition.pk}/").data
    assert detail["docked_dispute_state"] == "mediator"
    page = client_as("gm01").get(petition.get_absolute_url()).content.decode()
    assert dispute.number in page
    assert dispute.get_state_display() in page


def test_a_group_claim_docks_as_a_yellow_risk_group_dispute(gm01):
    reps = [petitioner(name=f"代表{i}", phone=f"1399330{i:04d}", id_number="",
                       is_representative=True) for i in range(3)]
    dispute = dock(claim_in_hand(gm01, people_count=12, petitioners=reps), by=gm01)
    assert (dispute.risk_level, dispute.risk_group_incident, dispute.people_involved) == (
        "yellow", True, 12)


@pytest.mark.parametrize(("overrides", "parties_agree", "words"), [
    ({"kind": "suggestion"}, True, "只有申诉求决类"),
    ({"kind": "accusation"}, True, "只有申诉求决类"),
    ({"administrative_matter": True}, True, "行政争议不属于人民调解范围"),
    ({"in_litigation": True}, True, "已进入诉讼或仲裁程序"),
    ({}, False, "一方不同意调解的不能对接"),
])
def test_matters_that_cannot_be_docked_are_refused_with_the_reason(gm01, overrides,
                                                                   parties_agree, words):
    petition = claim_in_hand(gm01, **overrides)
    disputes_before = Dispute.objects.count()
    with pytest.raises(TransitionNotAllowed) as exc:
        dock(petition, by=gm01, parties_agree=parties_agree)
    assert words in str(exc.value)
    petition.refresh_from_db()
    assert petition.docked_dispute is None
    assert Dispute.objects.count() == disputes_before
    assert not petition.events.filter(action="dock").exists()


def test_a_petition_is_docked_once_and_only_while_in_hand(gm01):
    registered = make_petition(by=gm01)
    with pytest.raises(TransitionNotAllowed) as exc:
        dock(registered, by=gm01)
    assert "受理后、答复前" in str(exc.value)
    petition = accept(registered, by=gm01)
    dock(petition, by=gm01)
    with pytest.raises(TransitionNotAllowed) as exc:
        dock(petition, by=gm01)
    assert "已对接调解" in str(exc.value)
    assert "dock" not in permissions.available_actions(petition, gm01)


def test_docking_is_for_the_petitions_chain_only_and_needs_a_known_category(gm01, med01):
    petition = claim_in_hand(gm01)
    with pytest.raises(PermissionDenied):
        dock(petition, by=med01)
    with pytest.raises(ValidationError) as exc:
        dock(petition, by=gm01, category="astrology")
    assert "category" in exc.value.message_dict
    petition.refresh_from_db()
    assert petition.docked_dispute is None


def test_a_claim_at_the_town_is_docked_by_the_grid_leader(gm01, gl01):
    petition = escalate(claim_in_hand(gm01), by=gm01)
    dispute = dock(petition, by=gl01)
    assert dispute.source == "petition_docking"


def test_resolving_the_docked_dispute_drafts_the_petitions_reply(
        gm01, django_capture_on_commit_callbacks):
    petition = claim_in_hand(gm01)
    dispute = dock(petition, by=gm01)
    with django_capture_on_commit_callbacks(execute=True):
        resolve(dispute, by=gm01)
    petition.refresh_from_db()
    assert petition.reply_draft.startswith(f"经人民调解（{dispute.number}），双方达成协议，纠纷化解。")
    assert "调解协议：双方互相道歉，今后和睦相处。" in petition.reply_draft
    assert petition.state == "grid", "the draft is a draft: the handler still replies"
    assert "reply" in permissions.available_actions(petition, gm01)


def test_the_draft_is_saved_with_a_history_row_by_whoever_resolved_the_dispute(
        gm01, django_capture_on_commit_callbacks):
    petition = claim_in_hand(gm01)
    dispute = dock(petition, by=gm01)
    before = petition.events.count()
    with django_capture_on_commit_callbacks(execute=True):
        resolve(dispute, by=gm01)
    assert petition.events.count() == before + 1
    event = petition.events.order_by("-id").first()
    assert (event.action, event.actor, event.from_state, event.to_state, event.handler) == (
        "reply_draft", gm01, "grid", "grid", staff_of(gm01))
    assert dispute.number in event.note
    assert event.get_action_display() == "起草答复"


def test_the_resolved_signal_carries_the_outcome_and_the_agreement(gm01):
    from disputes import signals

    sent = []

    def listen(sender, **kwargs):
        sent.append(kwargs)

    dispute = make_dispute(by=gm01)
    signals.dispute_resolved.connect(listen, dispatch_uid="tests.resolved")
    try:
        resolve(dispute, by=gm01)
    finally:
        signals.dispute_resolved.disconnect(dispatch_uid="tests.resolved")
    dispute.refresh_from_db()
    assert [(s["outcome"], s["agreement"]) for s in sent] == [
        (dispute.outcome, dispute.agreement)]


def test_saving_a_reply_draft_writes_the_draft_and_one_history_row(gm01):
    petition = claim_in_hand(gm01)
    before = petition.events.count()
    services.petition_reply_draft_save(petition=petition, by=gm01, draft="拟答复：已疏通。",
                                       note="据现场核查起草。")
    petition.refresh_from_db()
    assert petition.reply_draft == "拟答复：已疏通。"
    assert petition.state == "grid", "a draft replies nothing"
    assert list(petition.events.filter(action="reply_draft").values_list("note", "actor")) == [
        ("据现场核查起草。", gm01.pk)]
    assert petition.events.count() == before + 1


def test_the_reply_form_starts_from_the_draft(gm01, client_as,
                                              django_capture_on_commit_callbacks):
    petition = claim_in_hand(gm01)
    dispute = dock(petition, by=gm01)
    with django_capture_on_commit_callbacks(execute=True):
        resolve(dispute, by=gm01)
    client = client_as("gm01")
    page = client.get(petition.get_absolute_url()).content.decode()
    assert page.count(f"经人民调解（{dispute.number}）") == 1, "shown on the page"
    form = client.get(reverse("petitions:action", args=[petition.pk, "reply"]),
                      {"fragment": 1}).content.decode()
    assert f"经人民调解（{dispute.number}）" in form, "and in the reply form when it is opened"


def test_resolving_a_dispute_that_came_from_no_petition_drafts_nothing(
        gm01, django_capture_on_commit_callbacks):
    petition = claim_in_hand(gm01)
    with django_capture_on_commit_callbacks(execute=True):
        resolve(make_dispute(by=gm01), by=gm01)
    petition.refresh_from_db()
    assert petition.reply_draft == ""


def test_a_dispute_referred_to_the_petition_office_becomes_a_linked_petition(gm01, chair):
    dispute = escalate_to(make_dispute(by=gm01, parties=[
        dispute_party(), dispute_party(name="李四", role="respondent", phone="13900001111",
                                       id_number="")]), "chair")
    before = Petition.objects.count()
    dispute_services.dispute_refer(dispute=dispute, by=chair, target="petition_office",
                                   note="涉及土地确权，需信访办协调。")
    assert Petition.objects.count() == before + 1
    petition = Petition.objects.get(source_dispute=dispute)
    assert petition.state == "registered"
    assert (petition.kind, petition.subject, petition.small_grid, petition.created_by) == (
        "claim", dispute.title, dispute.small_grid, chair)
    assert dispute.description in petition.content
    assert "涉及土地确权，需信访办协调。" in petition.content
    assert list(petition.petitioners.values_list("name", flat=True)) == ["张三丰"]
    assert petition.proxy_agent == petition.handler == staff_of(gm01)
    assert Notification.objects.filter(recipient=gm01, url=petition.get_absolute_url()).exists()
    assert list(dispute.petitions_from_referral.all()) == [petition]


def test_a_dispute_referred_elsewhere_makes_no_petition(gm01, chair):
    dispute = escalate_to(make_dispute(by=gm01), "chair")
    before = Petition.objects.count()
    dispute_services.dispute_refer(dispute=dispute, by=chair, target="court", note="移交法院。")
    assert Petition.objects.count() == before
