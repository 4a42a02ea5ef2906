"""The same client token twice, or twice at once, makes one row: pages (a hidden field made
when the form is rendered) and the API (``Idempotency-Key``)."""

from __future__ import annotations

import re
import threading
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.idempotency import TOKEN_FIELD
from core.models import IdempotencyKey
from disputes.models import Attachment, Dispute, FollowUpVisit, MediationSession
from petitions.models import Petition
from supervision.models import InstabilityReport
from tests.conftest import requires_postgres
from tests.disputes.factories import demo_small_grid, make_dispute, resolve, staff_of
from tests.disputes.test_api import LIST as DISPUTES_API
from tests.disputes.test_api import intake
from tests.disputes.test_views import PNG, intake_post
from tests.petitions.test_views import register_data

pytestmark = pytest.mark.django_db

FORM_PAGES = ["disputes:create", "petitions:create", "cadence:screening",
              "supervision:instability_report"]


def token_on(response) -> str:
    found = re.findall(rf'name="{TOKEN_FIELD}" value="([0-9a-f]+)"', response.content.decode())
    assert found, "the form carries its token"
    return found[0]


@pytest.mark.parametrize("name", FORM_PAGES)
def test_each_create_form_carries_a_fresh_token_when_rendered(client_as, name):
    client = client_as("gm01")
    first, second = token_on(client.get(reverse(name))), token_on(client.get(reverse(name)))
    assert first != second


def test_case_page_forms_carry_their_tokens(client_as, gm01, med01):
    from tests.disputes.factories import escalate_to

    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    client = client_as("med01")
    html = client.get(dispute.get_absolute_url()).content.decode()
    # The upload form on the page; the session form and each action's form when opened.
    assert html.count(f'name="{TOKEN_FIELD}"') >= 1
    urls = re.findall(r'data-action-form="([^"]+)"', html)
    assert len(urls) >= 3
    tokens = [token_on(client.get(url, {"fragment": 1})) for url in urls]
    assert len(set(tokens)) == len(tokens), "each form its own token"


def test_dispute_submitted_twice_with_one_token_is_logged_once(client_as):
    client = client_as("gm01")
    token = token_on(client.get(reverse("disputes:create")))
    before = Dispute.objects.count()
    first = client.post(reverse("disputes:create"), intake_post(**{TOKEN_FIELD: token}))
    again = client.post(reverse("disputes:create"), intake_post(**{TOKEN_FIELD: token}),
                        follow=True)
    assert first.status_code == 302
    assert again.redirect_chain[-1][0] == first["Location"]
    assert Dispute.objects.count() == before + 1
    assert "已经提交过" in again.content.decode()
    # A new form (a new token) is a new case.
    client.post(reverse("disputes:create"), intake_post(**{TOKEN_FIELD: uuid.uuid4().hex}))
    assert Dispute.objects.count() == before + 2


def test_a_form_with_errors_keeps_its_token_and_claims_nothing(client_as):
    client = client_as("gm01")
    token = uuid.uuid4().hex
    response = client.post(reverse("disputes:create"),
                           intake_post(title="", **{TOKEN_FIELD: token}))
    assert response.status_code == 200
    assert token_on(response) == token
    assert not IdempotencyKey.objects.filter(token=token).exists()
    assert client.post(reverse("disputes:create"),
                       intake_post(**{TOKEN_FIELD: token})).status_code == 302


def test_the_same_token_of_another_user_is_another_submission(client_as):
    token = uuid.uuid4().hex
    before = Dispute.objects.count()
    client_as("gm01").post(reverse("disputes:create"), intake_post(**{TOKEN_FIELD: token}))
    client_as("leader").post(reverse("disputes:create"), intake_post(**{TOKEN_FIELD: token}))
    assert Dispute.objects.count() == before + 2


def test_petition_back_and_submit_again_registers_once(client_as):
    client = client_as("gm01")
    token = token_on(client.get(reverse("petitions:create")))
    before = Petition.objects.count()
    for _ in range(2):
        assert client.post(reverse("petitions:create"),
                           register_data(**{TOKEN_FIELD: token})).status_code == 302
    assert Petition.objects.count() == before + 1


def test_instability_report_twice_with_one_token_is_one_report(client_as):
    client = client_as("gm01")
    before = InstabilityReport.objects.count()
    data = {"small_grid": demo_small_grid().pk, "content": "有人扬言到县上讨说法。",
            TOKEN_FIELD: uuid.uuid4().hex}
    for _ in range(2):
        assert client.post(reverse("supervision:instability_report"), data).status_code == 302
    assert InstabilityReport.objects.count() == before + 1


def test_session_attachment_and_follow_up_twice_with_one_token_are_recorded_once(
        client_as, gm01, med01, settings, tmp_path):
    from tests.disputes.factories import escalate_to

    settings.MEDIA_ROOT = tmp_path
    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    client = client_as("med01")
    session = {"held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
               "place": "村委会调解室", "mediators": [staff_of(med01).pk],
               "record": "听取双方陈述。", TOKEN_FIELD: uuid.uuid4().hex}
    upload_token = uuid.uuid4().hex
    for _ in range(2):
        assert client.post(reverse("disputes:session_add", args=[dispute.pk]),
                           session).status_code == 302
        photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
        assert client.post(reverse("disputes:attachment_add", args=[dispute.pk]),
                           {"files": [photo], TOKEN_FIELD: upload_token}).status_code == 302
    assert MediationSession.objects.filter(dispute=dispute).count() == 1
    assert Attachment.objects.filter(dispute=dispute).count() == 1

    resolved = resolve(make_dispute(by=gm01), by=gm01)
    followup = {"seen_state": "resolved", "visited_on": timezone.localdate().isoformat(),
                "agreement_kept": "yes", TOKEN_FIELD: uuid.uuid4().hex}
    for _ in range(2):
        assert client_as("gm01").post(reverse("disputes:action", args=[resolved.pk, "followup"]),
                                      followup).status_code == 302
    assert FollowUpVisit.objects.filter(dispute=resolved).count() == 1


def test_api_create_with_one_idempotency_key_twice_answers_the_same_and_makes_one(api_as):
    client = api_as("gm01")
    key = uuid.uuid4().hex
    before = Dispute.objects.count()
    first = client.post(DISPUTES_API, intake(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post(DISPUTES_API, intake(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Dispute.objects.count() == before + 1
    # Without a key each request is its own.
    client.post(DISPUTES_API, intake(), format="json")
    assert Dispute.objects.count() == before + 2


def test_api_refused_create_is_not_remembered(api_as):
    client = api_as("gm01")
    key = uuid.uuid4().hex
    assert client.post(DISPUTES_API, intake(title=""), format="json",
                       HTTP_IDEMPOTENCY_KEY=key).status_code == 400
    assert client.post(DISPUTES_API, intake(), format="json",
                       HTTP_IDEMPOTENCY_KEY=key).status_code == 201


def test_api_notice_and_follow_up_with_one_key_twice_make_one(api_as, gm01):
    from tests.supervision.test_api import LIST as NOTICES_API
    from tests.supervision.test_api import issue_data

    client = api_as("leader")
    key = uuid.uuid4().hex
    first = client.post(NOTICES_API, issue_data(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post(NOTICES_API, issue_data(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201, first.json()
    assert again.json()["id"] == first.json()["id"]

    resolved = resolve(make_dispute(by=gm01), by=gm01)
    url = f"{DISPUTES_API}{resolved.pk}/followup/"
    body = {"visited_on": timezone.localdate().isoformat(), "agreement_kept": True}
    for _ in range(2):
        assert api_as("gm01").post(url, body, format="json",
                                   HTTP_IDEMPOTENCY_KEY=key).status_code == 200
    assert FollowUpVisit.objects.filter(dispute=resolved).count() == 1


# --- Twice at the same moment (PostgreSQL: the second waits at the unique index) --------------

def _slow_create(monkeypatch):
    """The first create holds its transaction open a moment, so that the second request
    arrives while it is still running."""
    from disputes import services

    original = services.dispute_create

    def slow(**kwargs):
        dispute = original(**kwargs)
        time.sleep(0.5)
        return dispute

    monkeypatch.setattr(services, "dispute_create", slow)


def _at_once(send) -> list:
    answers = [None, None]

    def run(i):
        try:
            answers[i] = send()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    threads[0].start()
    time.sleep(0.15)
    threads[1].start()
    for thread in threads:
        thread.join(30)
    return answers


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_page_submissions_at_once_with_one_token_make_one_case(demo_committed, monkeypatch):
    from django.contrib.auth import get_user_model

    gm01 = get_user_model().objects.get(username="gm01")
    _slow_create(monkeypatch)
    before = Dispute.objects.count()
    data = intake_post(**{TOKEN_FIELD: uuid.uuid4().hex})

    def send():
        client = Client()
        client.force_login(gm01)
        return client.post(reverse("disputes:create"), data)

    first, second = _at_once(send)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Dispute.objects.count() == before + 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_api_requests_at_once_with_one_key_make_one_case(demo_committed, monkeypatch):
    from django.contrib.auth import get_user_model

    gm01 = get_user_model().objects.get(username="gm01")
    _slow_create(monkeypatch)
    before = Dispute.objects.count()
    key = uuid.uuid4().hex

    def send():
        client = APIClient()
        client.force_authenticate(gm01)
        return client.post(DISPUTES_API, intake(), format="json", HTTP_IDEMPOTENCY_KEY=key)

    first, second = _at_once(send)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Dispute.objects.count() == before + 1


def test_upload_without_a_file_says_so_next_to_the_field_and_not_uploaded(
        client_as, gm01, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dispute = make_dispute(by=gm01)
    response = client_as("gm01").post(reverse("disputes:attachment_add", args=[dispute.pk]),
                                      {TOKEN_FIELD: uuid.uuid4().hex})
    assert response.status_code == 400
    html = response.content.decode()
    assert "附件已上传" not in html
    assert re.search(r'name="files"[^>]*>\s*<ul class="errorlist"[^>]*><li>该字段是必填项', html)
    assert not Attachment.objects.filter(dispute=dispute).exists()


def test_two_files_uploaded_are_counted_in_the_message(client_as, gm01, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dispute = make_dispute(by=gm01)
    files = [SimpleUploadedFile(f"{n}.png", PNG, content_type="image/png") for n in (1, 2)]
    response = client_as("gm01").post(reverse("disputes:attachment_add", args=[dispute.pk]),
                                      {"files": files}, follow=True)
    assert "附件已上传：2 个。" in response.content.decode()


def test_tokens_older_than_a_month_are_forgotten(client_as, gm01):
    from core.idempotency import idempotency_keys_purge
    from core.tasks import idempotency_keys_purge as purge_task

    old, recent = (IdempotencyKey.objects.create(user=gm01, kind="k", token=t)
                   for t in ("old", "recent"))
    IdempotencyKey.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=31))
    assert idempotency_keys_purge() == 1
    assert list(IdempotencyKey.objects.filter(user=gm01).values_list("token", flat=True)) == [
        "recent"]
    # apply(): the task's body run here, whatever the app's eager setting at this moment
    # (the tests that start a real worker switch it off for their own duration).
    assert purge_task.apply().get() == 0
