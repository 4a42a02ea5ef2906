"""SMS: one segment per message with the town's signature, a signed HTTP gateway, retries
with back-off that never hold up the transition, quiet hours and opt-out."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from disputes.models import Dispute, MediationSession
from grid.models import Room, SmallGrid, Staff, Town
from inbox.models import OutboxMessage
from inbox.outbox import outbox_deliver
from inbox.sms import HttpGateway, signature
from outreach import services
from outreach.models import SmsMessage
from outreach.services.sms import in_quiet_hours, quiet_hours_end
from outreach.states import SmsStatus
from outreach.texts import SEGMENT, TEMPLATES, render
from tests.conftest import requires_redis
from tests.disputes.factories import PHONE, make_dispute, staff_of

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Gateway:
    """A small SMS gateway for the tests: checks each request's signature, records it, and
    answers with the status it is told to (``fail`` times HTTP 500 first)."""

    def __init__(self, *, key="test-key", secret="test-secret", fail=0):
        self.key, self.secret, self.fail = key, secret, fail
        self.received: list[dict] = []
        self.bad_signatures = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _check(self, body: bytes) -> bool:
                expected = signature(gateway.secret, method=self.command, path=self.path,
                                     timestamp=self.headers["X-Sms-Timestamp"],
                                     nonce=self.headers["X-Sms-Nonce"], body=body)
                ok = (self.headers["X-Sms-Key"] == gateway.key
                      and hmac.compare_digest(expected, self.headers["X-Sms-Signature"]))
                if not ok:
                    gateway.bad_signatures += 1
                return ok

            def _answer(self, code: int, data: dict):
                payload = json.dumps(data).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if not self._check(body):
                    return self._answer(401, {"status": "rejected", "error": "signature"})
                if gateway.fail > 0:
                    gateway.fail -= 1
                    return self._answer(500, {"status": "rejected", "error": "busy"})
                data = json.loads(body)
                gateway.received.append(data)
                return self._answer(200, {"message_id": f"m{len(gateway.received)}",
                                          "status": "accepted"})

            def do_GET(self):
                if not self._check(b""):
                    return self._answer(401, {})
                return self._answer(200, {"status": "delivered"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = (f"http://{key}:{secret}@127.0.0.1:{self.server.server_address[1]}"
                    "/sms/send")
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def at_local(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 12, 1, hour, minute, tzinfo=SHANGHAI)


def daytime(settings):
    """Quiet hours that never apply, for tests about something else."""
    settings.SMS_QUIET_START, settings.SMS_QUIET_END = 0, 0


@pytest.fixture
def others_not_due():
    """The messages already waiting (the demo loaded in the quiet hours leaves hundreds
    until 07:00) put out of a sweep's reach for this test: a sweep reads 500 due ones by id
    and would send them to the test's gateway first (a test whose sweep crossed 07:00
    Shanghai time once failed so)."""
    SmsMessage.objects.pending().update(
        next_attempt_at=timezone.now() + datetime.timedelta(days=3650))


# --- Templates -------------------------------------------------------------------------

def test_every_template_fits_one_segment_with_the_longest_demo_values():
    town = max(Town.objects.values_list("name", flat=True), key=len)
    number = max(Dispute.objects.values_list("number", flat=True), key=len)
    petition_number = max(__import__("petitions.models", fromlist=["Petition"]).Petition
                          .objects.values_list("number", flat=True), key=len)
    room = max(Room.objects.values_list("name", flat=True), key=len)
    grid = max((f"{sg.large_grid.name}{sg.name}" for sg in
                SmallGrid.objects.select_related("large_grid")), key=len)
    values = {"sign": town, "number": max(number, petition_number, key=len),
              "code": "ABCDEFGH", "time": "12月31日23:59", "place": room + grid,
              "date": "2026年12月31日", "reason": "不属于人民调解范围" * 3,
              "title": "新纠纷待您调解：" + number + "（" + grid + "）"}
    assert len(values["sign"]) >= 3 and len(values["number"]) >= 10
    for template in TEMPLATES.values():
        text, used = render(template.id, values)
        assert len(text) <= SEGMENT, (template.id, len(text), text)
        assert text.startswith(f"【{town}】")
        for fixed in ("number", "code", "date", "time"):
            if "{" + fixed + "}" in template.text:
                assert values[fixed] in text  # never shortened
    # A free parameter is shortened with an ellipsis only when needed.
    text, used = render("staff_handover", {**values, "title": "短标题"})
    assert used["title"] == "短标题"
    text, used = render("staff_handover", {**values, "title": "很长" * 60})
    assert used["title"].endswith("…") and len(text) == SEGMENT


# --- The HTTP gateway ------------------------------------------------------------------

def test_the_http_gateway_signs_each_request_and_sends_template_id_and_parameters(
        settings, gm01):
    daytime(settings)
    with Gateway() as gw:
        settings.SMS_URL = gw.url
        row = services.sms_queue(phone=PHONE, template="dispute_accepted",
                                 params={"number": "黄寨人调〔2026〕1号", "code": "ABCD2345"},
                                 town=Town.objects.first(), recipient_kind="party")
        assert services.sms_deliver(ids=[row.pk]) == []
        row.refresh_from_db()
        assert row.status == SmsStatus.SENT and row.gateway_id == "m1" and row.attempts == 0
        (sent,) = gw.received
        assert sent["phone"] == PHONE and sent["template_id"] == "dispute_accepted"
        assert sent["params"] == {"sign": "黄寨镇", "number": "黄寨人调〔2026〕1号",
                                  "code": "ABCD2345"}
        assert sent["sign_name"] == "黄寨镇"
        # The per-message status, asked later with a signed GET.
        assert services.sms_refresh_status() == 1
        row.refresh_from_db()
        assert row.status == SmsStatus.DELIVERED
        assert gw.bad_signatures == 0


def test_a_wrong_secret_is_refused_by_the_gateway_and_counts_as_a_failure(settings):
    daytime(settings)
    with Gateway() as gw:
        settings.SMS_URL = gw.url.replace("test-secret", "wrong")
        row = services.sms_queue(phone=PHONE, template="petition_accepted",
                                 params={"number": "黄寨信〔2026〕1号", "code": "ABCD2345"},
                                 town=Town.objects.first(), recipient_kind="petitioner")
        assert services.sms_deliver(ids=[row.pk]) == [row.pk]
        row.refresh_from_db()
        assert gw.bad_signatures == 1 and gw.received == []
        assert row.status == SmsStatus.QUEUED and row.attempts == 1
        assert "HTTP 401" in row.last_error


def test_signature_is_hmac_sha256_of_method_path_time_nonce_and_body_digest():
    body = b'{"a": 1}'
    expected = hmac.new(b"s", "\n".join(["POST", "/p", "1", "n", hashlib.sha256(body)
                                         .hexdigest()]).encode(), hashlib.sha256).hexdigest()
    assert signature("s", method="POST", path="/p", timestamp="1", nonce="n",
                     body=body) == expected
    gateway = HttpGateway("https://k%40x:s%2Fy@sms.example.gov.cn:8443/api/send")
    assert (gateway.key, gateway.secret, gateway.base, gateway.path) == (
        "k@x", "s/y", "https://sms.example.gov.cn:8443", "/api/send")


# --- Retries ---------------------------------------------------------------------------

def test_a_failed_send_is_retried_with_back_off_then_marked_failed(settings, others_not_due):
    daytime(settings)
    settings.SMS_MAX_ATTEMPTS = 3
    settings.SMS_RETRY_DELAY = 60
    with Gateway(fail=10) as gw:
        settings.SMS_URL = gw.url
        row = services.sms_queue(phone=PHONE, template="petition_replied",
                                 params={"number": "黄寨信〔2026〕1号", "code": "ABCD2345"},
                                 town=Town.objects.first(), recipient_kind="petitioner")
        start = timezone.now()
        services.sms_deliver(ids=[row.pk])
        row.refresh_from_db()
        assert row.attempts == 1 and row.status == SmsStatus.QUEUED
        assert 55 <= (row.next_attempt_at - start).total_seconds() <= 65
        # The sweep leaves it alone until its back-off is over, then tries again.
        services.sms_deliver(at=start + datetime.timedelta(seconds=30))
        row.refresh_from_db()
        assert row.attempts == 1
        services.sms_deliver(at=row.next_attempt_at)
        row.refresh_from_db()
        assert row.attempts == 2
        assert 115 <= (row.next_attempt_at - timezone.now()).total_seconds() <= 125  # doubled
        services.sms_deliver(at=row.next_attempt_at)
        row.refresh_from_db()
        assert (row.attempts, row.status) == (3, SmsStatus.FAILED)
        assert "HTTP 500" in row.last_error
        assert gw.received == []
        # A failed message is not tried again.
        services.sms_deliver(at=row.next_attempt_at + datetime.timedelta(days=1))
        row.refresh_from_db()
        assert row.attempts == 3


@pytest.fixture
def celery_app_conf():
    """``config.celery.app`` not eager, restored afterwards with fresh connection pools."""
    from config.celery import app

    keys = ["task_always_eager", "broker_url", "result_backend", "task_default_queue"]
    saved = {key: app.conf[key] for key in keys}

    def point(**conf):
        app.conf.update(task_always_eager=False, **conf)
        app._after_fork()

    try:
        yield app, point
    finally:
        app.conf.update(saved)
        app._after_fork()


@requires_redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_gateway_down_the_transition_answers_at_once_and_the_worker_retries_then_fails(
        demo_committed, celery_app_conf, settings):
    """A real worker: the case is logged at once; the worker tries the parties' messages,
    retries after the back-off and marks them failed; the case is untouched."""
    from celery.contrib.testing.worker import start_worker
    from django.contrib.auth import get_user_model
    from django.test import Client

    daytime(settings)
    settings.SMS_MAX_ATTEMPTS = 3
    settings.SMS_RETRY_DELAY = 1
    app, point = celery_app_conf
    queue = f"test-sms-{uuid.uuid4().hex[:8]}"
    redis_url = os.environ["REDIS_URL"]
    point(broker_url=redis_url, result_backend=redis_url, task_default_queue=queue)
    gm01 = get_user_model().objects.get(username="gm01")
    with Gateway(fail=100) as gw, start_worker(app, perform_ping_check=False, pool="solo",
                                                queues=[queue], shutdown_timeout=30):
        settings.SMS_URL = gw.url
        client = Client()
        client.force_login(gm01)
        started = time.monotonic()
        dispute = make_dispute(by=gm01)  # committed: the messages go to the worker
        response = client.post(reverse("disputes:action", args=[dispute.pk, "terminate"]),
                               {"seen_state": "grid_member", "reason": "mediation_failed",
                                "note": "双方分歧过大"})
        elapsed = time.monotonic() - started
        assert response.status_code == 302 and elapsed < 3
        dispute.refresh_from_db()
        assert dispute.state == "terminated"
        rows = SmsMessage.objects.filter(dispute=dispute)
        assert set(rows.values_list("template", flat=True)) == {"dispute_accepted",
                                                                 "dispute_terminated"}
        deadline = time.monotonic() + 40
        while rows.exclude(status=SmsStatus.FAILED).exists() and time.monotonic() < deadline:
            time.sleep(0.3)
    assert set(rows.values_list("status", "attempts")) == {(SmsStatus.FAILED, 3)}
    assert gw.received == []
    dispute.refresh_from_db()
    assert dispute.state == "terminated"
    connection.close()


# --- Quiet hours and opt-out -------------------------------------------------------------

def test_quiet_hours_are_22_to_7_shanghai_time():
    assert in_quiet_hours(at_local(22)) and in_quiet_hours(at_local(3))
    assert in_quiet_hours(at_local(6, 59)) and not in_quiet_hours(at_local(7))
    assert not in_quiet_hours(at_local(21, 59))
    assert quiet_hours_end(at_local(23)) == at_local(7) + datetime.timedelta(days=1)
    assert quiet_hours_end(at_local(2)) == at_local(7)
    assert quiet_hours_end(at_local(12)) == at_local(12)


def test_in_the_quiet_hours_a_message_waits_until_7_but_an_urgent_alert_goes_at_once(
        monkeypatch, settings, others_not_due):
    settings.SMS_URL = "console://"
    town = Town.objects.first()
    night = at_local(23, 30)
    monkeypatch.setattr(timezone, "now", lambda: night)
    plain = services.sms_queue(phone=PHONE, template="staff_alert", params={"title": "t"},
                               town=town, recipient_kind="staff")
    urgent = services.sms_queue(phone="13900001111", template="staff_urgent",
                                params={"title": "t"}, town=town, recipient_kind="staff")
    services.sms_deliver(ids=[plain.pk, urgent.pk])
    plain.refresh_from_db()
    urgent.refresh_from_db()
    assert urgent.status == SmsStatus.DELIVERED
    assert plain.status == SmsStatus.QUEUED and plain.attempts == 0
    assert timezone.localtime(plain.next_attempt_at) == at_local(7) + datetime.timedelta(days=1)
    morning = at_local(7, 1) + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: morning)
    services.sms_deliver()
    plain.refresh_from_db()
    assert plain.status == SmsStatus.DELIVERED


def test_an_opted_out_number_gets_nothing(settings):
    daytime(settings)
    town = Town.objects.first()
    services.sms_opt_out(phone=PHONE, source="test")
    row = services.sms_queue(phone=PHONE, template="staff_alert", params={"title": "t"},
                             town=town, recipient_kind="staff")
    other = services.sms_queue(phone="13900001111", template="staff_alert",
                               params={"title": "t"}, town=town, recipient_kind="staff")
    services.sms_deliver(ids=[row.pk, other.pk])
    row.refresh_from_db()
    other.refresh_from_db()
    assert row.status == SmsStatus.OPTED_OUT and row.sent_at is None
    assert other.status == SmsStatus.DELIVERED
    services.sms_opt_in(phone=PHONE)
    assert not services.is_opted_out(PHONE)


def test_a_landline_or_empty_number_gets_no_message():
    town = Town.objects.first()
    for phone in ("", "0933-1234567", "12345"):
        assert services.sms_queue(phone=phone, template="staff_alert", params={"title": "t"},
                                  town=town, recipient_kind="staff") is None


# --- Who is told what --------------------------------------------------------------------

def test_staff_with_a_mobile_get_hand_overs_by_sms_through_the_outbox(gm01, med01, settings):
    daytime(settings)
    mediator = staff_of(med01)
    Staff.objects.filter(pk=mediator.pk).update(phone_hash="")
    mediator.phone = "13700002222"
    mediator.save()
    dispute = make_dispute(by=gm01)
    from disputes import services as dispute_services

    dispute_services.dispute_escalate(dispute=dispute, by=gm01, note="劝解未果",
                                      mediator=mediator)
    outbox = OutboxMessage.objects.filter(channel="sms", notification__recipient=med01,
                                          notification__url=dispute.get_absolute_url())
    assert outbox.count() == 1
    outbox_deliver(ids=list(outbox.values_list("pk", flat=True)))
    sms = SmsMessage.objects.get(notification=outbox.get().notification)
    assert sms.phone == "13700002222" and sms.template == "staff_handover"
    assert sms.recipient_kind == "staff" and sms.town_id == dispute.town_id
    assert dispute.number in sms.text and len(sms.text) <= SEGMENT
    # The outbox delivered once: a second delivery queues no second message.
    outbox_deliver(ids=list(outbox.values_list("pk", flat=True)))
    assert SmsMessage.objects.filter(notification=outbox.get().notification).count() == 1


def test_a_notification_that_is_no_hand_over_or_alert_is_not_texted(leader):
    from inbox.notifications import notify

    (row,) = notify(recipients=[leader], title="周报已生成")
    assert not OutboxMessage.objects.filter(notification=row, channel="sms").exists()


def test_parties_are_told_of_acceptance_session_and_termination_once(gm01, settings):
    daytime(settings)
    dispute = make_dispute(by=gm01)
    accepted = SmsMessage.objects.filter(dispute=dispute, template="dispute_accepted")
    assert sorted(accepted.values_list("phone", flat=True)) == ["13812345678", "13900001111"]
    assert all(dispute.query_code in m.text for m in accepted)
    from disputes import services as dispute_services

    dispute_services.dispute_session_add(
        dispute=dispute, by=gm01, held_at=timezone.now() + datetime.timedelta(days=2),
        record="约定调解", mediators=[staff_of(gm01)], place="黄寨村委会调解室")
    session = SmsMessage.objects.filter(dispute=dispute, template="dispute_session")
    assert session.count() == 2 and "黄寨村委会调解室" in session.first().text
    # A session recorded after the fact tells nobody.
    dispute_services.dispute_session_add(
        dispute=dispute, by=gm01, held_at=timezone.now() - datetime.timedelta(hours=1),
        record="已调解", mediators=[staff_of(gm01)], place="村委会")
    assert SmsMessage.objects.filter(dispute=dispute, template="dispute_session").count() == 2
    assert MediationSession.objects.filter(dispute=dispute).count() == 2
    dispute_services.dispute_terminate(dispute=dispute, by=gm01, reason="mediation_failed",
                                       note="分歧过大")
    assert SmsMessage.objects.filter(dispute=dispute, template="dispute_terminated").count() == 2


def test_petitioners_are_told_of_acceptance_and_reply(gm01, settings):
    from tests.petitions.factories import replied

    petition = replied(by=gm01)
    templates = list(SmsMessage.objects.filter(petition=petition).order_by("pk")
                     .values_list("template", flat=True))
    assert templates == ["petition_accepted", "petition_replied"]
    assert petition.query_code in SmsMessage.objects.filter(petition=petition).last().text
