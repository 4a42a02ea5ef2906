"""Django admin for disputes: lists and history for the superuser, transition buttons that run
the same services as the pages (history row, routing, notification), and nothing deleted."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from disputes.models import Dispute, DisputeEvent
from inbox.models import Notification

from .factories import make_dispute, resolve

pytestmark = pytest.mark.django_db


def transition_url(dispute, name):
    return reverse("admin:disputes_dispute_transition", args=[dispute.pk, name])


def test_admin_changelist_lists_every_case_for_the_superuser(client_as):
    client = client_as("admin")
    response = client.get(reverse("admin:disputes_dispute_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == Dispute.objects.count()
    filtered = client.get(reverse("admin:disputes_dispute_changelist"), {"state__exact": "chair"})
    assert filtered.context["cl"].result_count == Dispute.objects.filter(state="chair").count()


def test_admin_change_page_shows_the_transitions_and_the_history(client_as, gm01):
    dispute = make_dispute(by=gm01)
    response = client_as("admin").get(reverse("admin:disputes_dispute_change",
                                              args=[dispute.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "办理操作" in page
    for label in ("上交上一级", "调解成功", "撤回", "作废"):
        assert label in page
    assert "登记纠纷" in page  # the history inline


def test_admin_transition_goes_through_the_service(client_as, admin, gm01):
    dispute = make_dispute(by=gm01)
    response = client_as("admin").post(transition_url(dispute, "escalate"),
                                       {"note": "后台督办上交"})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == "mediator"
    assert dispute.handler is not None, "routed to a mediator as the service does"
    assert dispute.tier_due_at is not None
    event = dispute.events.order_by("-id").first()
    assert (event.action, event.actor, event.from_state, event.to_state, event.note,
            event.handler) == ("escalate", admin, "grid_member", "mediator", "后台督办上交",
                               dispute.handler)
    if dispute.handler.user_id:
        assert Notification.objects.filter(recipient=dispute.handler.user,
                                           url=dispute.get_absolute_url()).exists()


def test_admin_void_needs_a_reason_and_records_it(client_as, admin, gm01):
    dispute = make_dispute(by=gm01)
    client = client_as("admin")
    response = client.post(transition_url(dispute, "void"), {"note": ""})
    assert response.status_code == 200
    dispute.refresh_from_db()
    assert dispute.state == "grid_member"
    client.post(transition_url(dispute, "void"), {"note": "重复登记"})
    dispute.refresh_from_db()
    assert (dispute.state, dispute.ended_reason) == ("voided", "重复登记")
    assert dispute.events.filter(action="void", actor=admin).count() == 1


def test_admin_transition_refused_by_the_service_changes_nothing(client_as, gm01):
    dispute = resolve(make_dispute(by=gm01))
    events = dispute.events.count()
    response = client_as("admin").post(transition_url(dispute, "close"), {"note": ""},
                                       follow=True)
    assert response.status_code == 200
    dispute.refresh_from_db()
    assert dispute.state == "resolved"
    assert dispute.events.count() == events
    assert "不满足此操作的条件" in response.content.decode()


def test_admin_can_neither_add_nor_delete_cases_nor_their_history(client_as, admin, gm01):
    dispute = make_dispute(by=gm01)
    client = client_as("admin")
    assert client.get(reverse("admin:disputes_dispute_add")).status_code == 403
    assert client.post(reverse("admin:disputes_dispute_delete", args=[dispute.pk]),
                       {"post": "yes"}).status_code == 403
    assert Dispute.objects.filter(pk=dispute.pk).exists()
    event = dispute.events.get()
    assert client.post(reverse("admin:disputes_disputeevent_delete", args=[event.pk]),
                       {"post": "yes"}).status_code == 403
    assert DisputeEvent.objects.filter(pk=event.pk).exists()

    request = RequestFactory().get("/")
    request.user = admin
    for model_admin in (site._registry[Dispute], site._registry[DisputeEvent]):
        assert not model_admin.has_delete_permission(request)
        assert "delete_selected" not in model_admin.get_actions(request)


def test_admin_change_page_edits_no_field_of_a_case(client_as, gm01):
    """Every write goes through a service: the admin shows a case, it does not edit it."""
    dispute = make_dispute(by=gm01)
    client = client_as("admin")
    url = reverse("admin:disputes_dispute_change", args=[dispute.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="title"' not in response.content.decode()
    client.post(url, {"title": "后台改名"})
    dispute.refresh_from_db()
    assert dispute.title != "后台改名"
    assert dispute.events.count() == 1


def test_petition_and_notice_admins_derive_their_buttons_from_the_declarations():
    from django.contrib.admin.sites import site

    from petitions.actions import ACTIONS as PETITION_ACTIONS
    from petitions.models import Petition
    from supervision.actions import ACTIONS as NOTICE_ACTIONS
    from supervision.models import SupervisionNotice

    petition_admin = site._registry[Petition]
    notice_admin = site._registry[SupervisionNotice]
    assert {"accept", "decline", "withdraw"} <= set(petition_admin.fsm_forms)
    assert "extend" not in petition_admin.fsm_forms, "not a transition: page and API only"
    assert {"acknowledge", "report", "verify", "return_for_work"} <= set(notice_admin.fsm_forms)
    assert petition_admin.case_actions is PETITION_ACTIONS
    assert notice_admin.case_actions is NOTICE_ACTIONS
    # The admin's note form names the service's own field: withdraw takes a reason.
    withdraw = PETITION_ACTIONS.get("withdraw")
    assert withdraw.admin_inputs({"note": "信访人撤回"}) == {"reason": "信访人撤回"}
