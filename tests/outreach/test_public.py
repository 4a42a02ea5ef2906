"""The public pages: the query code and its QR code, the query page (progress for the right
code and phone, the same refusal otherwise, nobody else's name or number), the rating, the
throttles, and applying for mediation from a phone."""

from __future__ import annotations

import re

import pytest
import segno
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from casework.querycode import ALPHABET, query_url
from disputes import services as dispute_services
from disputes.models import Dispute
from outreach.models import Application, PublicLookup, SmsMessage, SmsOptOut
from outreach.services.applications import _code_key
from tests.disputes.factories import demo_small_grid, make_dispute, staff_of

pytestmark = pytest.mark.django_db

APPLICANT = "13812345678"
OTHER = "13900001111"


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def html(response) -> str:
    return response.content.decode()


def look_up(client, code, phone4, **extra):
    return client.post(reverse("public_query"), {"code": code, "phone4": phone4, **extra},
                       REMOTE_ADDR=extra.pop("addr", "10.0.0.1"))


def people_of_the_town() -> set[str]:
    """Every name and number a page could leak: all the town's staff and parties."""
    from grid.models import Staff

    found = set()
    for s in Staff.objects.all():
        found |= {s.name, s.phone} - {""}
    for d in Dispute.objects.prefetch_related("parties")[:300]:
        for p in d.parties.all():
            found |= {p.name, p.phone, p.id_number} - {""}
    return found


# --- The code and its QR code ------------------------------------------------------------

def test_every_new_case_gets_a_short_unambiguous_unique_code(gm01):
    codes = {make_dispute(by=gm01).query_code for _ in range(5)}
    assert len(codes) == 5
    assert all(len(c) == 8 and set(c) <= set(ALPHABET) for c in codes)
    assert not set("01OI") & set(ALPHABET)
    # The migration gave every case of the demo its code.
    assert not Dispute.objects.filter(query_code__isnull=True).exists()


@pytest.mark.parametrize("document", ["rights_print", "termination_print"])
def test_the_printed_notice_carries_a_qr_code_that_decodes_to_the_query_url(
        document, gm01, client_as, settings):
    settings.SITE_URL = "https://mediation.example.gov.cn"
    dispute = make_dispute(by=gm01)
    if document == "termination_print":
        dispute_services.dispute_terminate(dispute=dispute, by=gm01, reason="mediation_failed",
                                           note="分歧过大")
    page = html(client_as("gm01").get(reverse(f"disputes:{document}", args=[dispute.pk])))
    expected = f"https://mediation.example.gov.cn/q/?code={dispute.query_code}"
    assert query_url(dispute.query_code) == expected and expected in page
    svg = re.search(r'<svg[^>]*class="segno".*?</svg>', page, re.S)[0]
    # Decode the drawn symbol: read its dark modules back from the SVG path and compare them
    # with the matrix of the payload (the same version, error level and mask).
    assert svg == segno.make_qr(expected, error="m").svg_inline(scale=3, border=2,
                                                                title=dispute.query_code)
    assert decode_svg_modules(svg) == dark_modules(segno.make_qr(expected, error="m"))


def dark_modules(qr) -> set[tuple[int, int]]:
    return {(x, y) for y, row in enumerate(qr.matrix) for x, bit in enumerate(row) if bit}


def decode_svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules the SVG draws, read back from its path: segno draws each row's dark
    runs as ``h<n>`` along the row's middle line, in module units (``scale(3)``), with a
    border of 2 modules; ``M``/``m`` move there."""
    assert 'transform="scale(3)"' in svg
    path = re.search(r' d="([^"]+)"', svg)[1]
    border = 2
    modules, x, y = set(), 0.0, 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            row = int(y - 0.5) - border
            modules |= {(int(x) - border + i, row) for i in range(int(float(a)))}
            x += float(a)
    return modules


# --- The query page ----------------------------------------------------------------------

def test_the_right_code_and_phone_show_the_progress_and_nobody_elses_name_or_number(
        gm01, client):
    dispute = make_dispute(by=gm01)
    page = client.get(reverse("public_query"), {"code": dispute.query_code.lower()})
    assert page.status_code == 200 and dispute.query_code in html(page)  # from the QR code
    response = look_up(client, dispute.query_code, APPLICANT[-4:])
    body = html(response)
    assert response.status_code == 200
    assert dispute.number in body and dispute.get_state_display() in body
    assert "人民调解委员会" in body  # the handling unit
    # The next due dates: this tier's and the whole mediation's.
    assert timezone.localtime(dispute.tier_due_at).strftime("%Y-%m-%d") in body
    assert dispute.mediation_due.strftime("%Y-%m-%d") in body
    leaked = [value for value in people_of_the_town() if value in body]
    assert leaked == []
    # The respondent may look it up too, with their own number.
    assert look_up(client, dispute.query_code, OTHER[-4:]).status_code == 200


def test_a_wrong_code_and_a_wrong_phone_get_the_same_refusal_and_each_is_logged(gm01, client):
    dispute = make_dispute(by=gm01)
    wrong_phone = look_up(client, dispute.query_code, "0000")
    other = make_dispute(by=gm01)
    wrong_code = look_up(client, "ZZZZ2222", APPLICANT[-4:])
    someone_elses = look_up(client, other.query_code, "9999")
    answers = {(r.status_code, re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "",
                                      html(r)).replace(dispute.query_code, "")
                .replace("ZZZZ2222", "").replace(other.query_code, ""))
               for r in (wrong_phone, wrong_code, someone_elses)}
    assert len(answers) == 1
    status, body = answers.pop()
    assert status == 404 and "查询码或手机号码后四位不正确" in body
    assert dispute.number not in body
    log = PublicLookup.objects.order_by("-id")[:3]
    assert [(x.kind, x.matched, x.address) for x in log] == [("query", False, "10.0.0.1")] * 3
    look_up(client, dispute.query_code, APPLICANT[-4:])
    hit = PublicLookup.objects.order_by("-id").first()
    assert hit.matched and hit.dispute_id == dispute.pk


def test_too_many_look_ups_of_one_code_or_from_one_address_answer_429(gm01, client, settings):
    settings.PUBLIC_LOOKUPS_PER_HOUR = 3
    settings.PUBLIC_ADDRESS_PER_HOUR = 5
    dispute = make_dispute(by=gm01)
    for _ in range(3):
        look_up(client, dispute.query_code, "0000", addr="10.0.0.2")
    # The fourth try of this code is refused, even with the right phone and another address.
    refused = look_up(client, dispute.query_code, APPLICANT[-4:], addr="10.0.0.3")
    assert refused.status_code == 429 and dispute.number not in html(refused)
    assert PublicLookup.objects.filter(throttled=True).count() == 1
    # One address trying many codes is refused too.
    for i in range(5):
        look_up(client, f"AAAA{i + 2}222", "1234", addr="10.0.0.4")
    assert look_up(client, "BBBB2222", "1234", addr="10.0.0.4").status_code == 429


def test_a_closed_case_is_rated_once_and_the_rating_shows_on_the_case_and_ledger(
        gm01, client, client_as):
    dispute = make_dispute(by=gm01)
    # Not before the mediation ended.
    page = html(look_up(client, dispute.query_code, APPLICANT[-4:]))
    assert 'data-testid="evaluate-form"' not in page
    dispute_services.dispute_terminate(dispute=dispute, by=gm01, reason="mediation_failed",
                                       note="分歧过大")
    page = html(look_up(client, dispute.query_code, APPLICANT[-4:]))
    assert 'data-testid="evaluate-form"' in page
    rated = look_up(client, dispute.query_code, APPLICANT[-4:], intent="evaluate",
                    evaluation="basically_satisfied", comment="调解员很耐心")
    assert "感谢您的评价" in html(rated)
    dispute.refresh_from_db()
    assert (dispute.evaluation, dispute.evaluation_comment) == ("basically_satisfied",
                                                                "调解员很耐心")
    # Once: a second rating, by the other party too, changes nothing.
    again = look_up(client, dispute.query_code, OTHER[-4:], intent="evaluate",
                    evaluation="dissatisfied")
    assert "只能评价一次" in html(again)
    dispute.refresh_from_db()
    assert dispute.evaluation == "basically_satisfied"
    case_page = html(client_as("gm01").get(dispute.get_absolute_url()))
    assert "基本满意" in case_page and "调解员很耐心" in case_page
    ledger = html(client_as("gm01").get(reverse("disputes:ledger"), {"q": dispute.number}))
    assert "当事人评价" in ledger and "基本满意" in ledger
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(gm01)
    data = api.get(f"/api/v1/disputes/{dispute.pk}/").json()
    assert data["evaluation"] == "basically_satisfied" and data["query_code"] == dispute.query_code


def test_a_replied_petition_is_rated_by_the_petitioner_on_the_query_page(gm01, client):
    from tests.petitions.factories import PHONE, replied

    petition = replied(by=gm01)
    rated = look_up(client, petition.query_code, PHONE[-4:], intent="evaluate",
                    evaluation="satisfied")
    assert rated.status_code == 200 and "感谢您的评价" in html(rated)
    petition.refresh_from_db()
    assert petition.evaluation == "satisfied" and petition.evaluated_on is not None


def test_the_monthly_analysis_counts_ratings_by_village_and_tier(gm01, client):
    import datetime

    from cadence.figures import satisfaction_figures

    dispute = make_dispute(by=gm01)
    dispute_services.dispute_terminate(dispute=dispute, by=gm01, reason="mediation_failed",
                                       note="分歧过大")
    look_up(client, dispute.query_code, APPLICANT[-4:], intent="evaluate",
            evaluation="dissatisfied")
    figures = satisfaction_figures(town=dispute.town, month=timezone.localdate())
    village = dispute.small_grid.large_grid.name
    (row,) = [r for r in figures["disputes_by_village"] if r["label"] == village]
    assert row["dissatisfied"] >= 1 and row["total"] == sum(row[g] for g in figures["grades"])
    (tier,) = [r for r in figures["disputes_by_tier"] if r["label"] == "网格员调解"]
    assert tier["dissatisfied"] >= 1
    # Counted in the month of the rating only.
    later = satisfaction_figures(town=dispute.town,
                                 month=timezone.localdate() + datetime.timedelta(days=40))
    assert later["disputes_by_village"] == [] and later["disputes_by_tier"] == []


def test_the_party_can_stop_the_text_messages_from_the_query_page(gm01, client):
    dispute = make_dispute(by=gm01)
    look_up(client, dispute.query_code, APPLICANT[-4:], intent="opt_out")
    from outreach.services import is_opted_out

    assert is_opted_out(APPLICANT) and not is_opted_out(OTHER)
    assert SmsOptOut.objects.count() >= 1


# --- Applying for mediation ----------------------------------------------------------------

def application_data(**overrides):
    data = {"small_grid": demo_small_grid().pk, "name": "赵大山", "phone": APPLICANT,
            "other_party": "钱小河", "other_party_phone": OTHER, "category": "neighbour",
            "description": "邻居在我家门口堆放柴草，多次协商未果。", "code": ""}
    data.update(overrides)
    return data


def sent_code(phone=APPLICANT) -> str:
    row = SmsMessage.objects.filter(template="apply_code").order_by("-id").first()
    return row.params["code"]


def test_an_application_cannot_be_made_without_the_code_sent_to_the_phone(client):
    url = reverse("public_apply")
    assert client.get(url).status_code == 200
    before = Application.objects.count()
    no_code = client.post(url, application_data(submit="1"))
    assert no_code.status_code == 400 and "验证码不正确" in html(no_code)
    sent = client.post(url, application_data(send_code="1"))
    assert sent.status_code == 200 and 'data-testid="code-sent"' in html(sent)
    code = sent_code()
    assert len(code) == 6 and SmsMessage.objects.filter(template="apply_code").last().urgent
    wrong = client.post(url, application_data(submit="1", code="000000" if code != "000000"
                                              else "111111"))
    assert wrong.status_code == 400
    # A code sent to another phone does not verify this one.
    client.post(url, application_data(send_code="1", phone="13700003333"))
    other_code = sent_code()
    if other_code != code:
        assert client.post(url, application_data(submit="1", code=other_code)).status_code == 400
    assert Application.objects.count() == before
    done = client.post(url, application_data(submit="1", code=code))
    assert done.status_code == 200 and 'data-testid="apply-done"' in html(done)
    application = Application.objects.latest("id")
    assert application.phone == APPLICANT and application.state == "submitted"
    assert application.handler is not None
    # The code is used up.
    assert client.post(url, application_data(submit="1", code=code)).status_code == 400
    assert Application.objects.count() == before + 1
    assert cache.get(_code_key(APPLICANT)) is None


def test_applying_is_throttled_per_phone_and_per_address(client, settings):
    settings.PUBLIC_LOOKUPS_PER_HOUR = 2
    settings.PUBLIC_ADDRESS_PER_HOUR = 4
    url = reverse("public_apply")
    for _ in range(2):
        client.post(url, application_data(send_code="1"), REMOTE_ADDR="10.1.0.1")
    assert client.post(url, application_data(send_code="1"),
                       REMOTE_ADDR="10.1.0.2").status_code == 429
    for i in range(2):
        client.post(url, application_data(send_code="1", phone=f"1370000{i:04d}"),
                    REMOTE_ADDR="10.1.0.3")
    client.post(url, application_data(send_code="1", phone="13700009998"),
                REMOTE_ADDR="10.1.0.3")
    client.post(url, application_data(send_code="1", phone="13700009997"),
                REMOTE_ADDR="10.1.0.3")
    assert client.post(url, application_data(send_code="1", phone="13700009996"),
                       REMOTE_ADDR="10.1.0.3").status_code == 429


def submit_application(client) -> Application:
    url = reverse("public_apply")
    client.post(url, application_data(send_code="1"))
    client.post(url, application_data(submit="1", code=sent_code()))
    return Application.objects.latest("id")


def test_accepting_registers_a_dispute_from_the_application_and_texts_the_code(
        client, gm01, client_as):
    application = submit_application(client)
    queue = html(client_as("gm01").get(reverse("outreach:applications")))
    assert application.get_absolute_url() in queue
    assert "赵大山" not in queue and APPLICANT not in queue  # masked in the list
    response = client_as("gm01").post(
        reverse("outreach:application_action", args=[application.pk, "accept"]),
        {"seen_state": "submitted", "note": "已电话联系申请人"})
    assert response.status_code == 302
    application.refresh_from_db()
    dispute = application.dispute
    assert application.state == "accepted" and dispute.source == "application"
    assert dispute.state == "grid_member" and dispute.respondent_consent == "not_asked"
    assert sorted(p.role for p in dispute.parties.all()) == ["applicant", "respondent"]
    to_applicant = [m for m in SmsMessage.objects.filter(dispute=dispute) if m.phone == APPLICANT]
    assert len(to_applicant) == 1 and dispute.query_code in to_applicant[0].text
    assert application.events.get().action == "accept"


def test_declining_states_the_reason_and_the_other_routes_and_texts_the_applicant(
        client, gm01, client_as):
    application = submit_application(client)
    response = client_as("gm01").post(
        reverse("outreach:application_action", args=[application.pk, "decline"]),
        {"seen_state": "submitted", "reason": "已由法院受理"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "declined" and application.dispute is None
    assert "第十八条" in application.other_routes
    sms = SmsMessage.objects.get(application=application, template="application_declined")
    assert "已由法院受理" in sms.text
    # A reason is required.
    other = submit_application(client)
    bad = client_as("gm01").post(
        reverse("outreach:application_action", args=[other.pk, "decline"]),
        {"seen_state": "submitted", "reason": ""})
    assert bad.status_code == 400
    other.refresh_from_db()
    assert other.state == "submitted"


def test_the_default_routes_read_in_the_readers_language_typed_ones_as_typed(
        client, gm01, client_as):
    from django.conf import settings
    from django.utils import translation
    from django.utils.html import escape

    from outreach.services.applications import DEFAULT_OTHER_ROUTES

    default = submit_application(client)
    typed = submit_application(client)
    staff = client_as("gm01")
    for application, routes in ((default, ""), (typed, "可找村法律顾问咨询")):
        staff.post(reverse("outreach:application_action", args=[application.pk, "decline"]),
                   {"seen_state": "submitted", "reason": "不属于民间纠纷",
                    "other_routes": routes})
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        page = staff.get(default.get_absolute_url()).content.decode()
        typed_page = staff.get(typed.get_absolute_url()).content.decode()
        with translation.override("en"):
            english = str(DEFAULT_OTHER_ROUTES)
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    default.refresh_from_db()
    assert "第十八条" in default.other_routes, "the Chinese text is kept"
    assert english != str(DEFAULT_OTHER_ROUTES) and escape(english) in page
    assert "可找村法律顾问咨询" in typed_page


def test_another_grid_member_cannot_see_or_decide_the_application(client, client_as, gm02):
    application = submit_application(client)
    assert client_as("gm02").get(application.get_absolute_url()).status_code == 404
    assert client_as("gm02").post(
        reverse("outreach:application_action", args=[application.pk, "accept"]),
        {"seen_state": "submitted"}).status_code == 404


def test_the_staff_api_lists_applications_with_actions_and_the_sms_log_masked(
        client, gm01, gm02):
    from rest_framework.test import APIClient

    application = submit_application(client)
    api = APIClient()
    api.force_authenticate(gm01)
    listed = api.get("/api/v1/applications/").json()["results"]
    mine = next(a for a in listed if a["id"] == application.pk)
    assert mine["phone"] == "138****5678" and mine["available_actions"] == ["accept", "decline"]
    declined = api.post(f"/api/v1/applications/{application.pk}/decline/",
                        {"reason": "不属于民间纠纷"}, format="json")
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    log = api.get("/api/v1/sms/").json()["results"]
    assert log and all("****" in m["phone"] for m in log)
    assert all("13812345678" not in m["phone"] for m in log)
    codes = [m for m in log if m["template"] == "apply_code"]
    assert codes and all(not re.search(r"\d{6}", m["text"]) for m in codes)
    other = APIClient()
    other.force_authenticate(gm02)
    assert other.get(f"/api/v1/applications/{application.pk}/").status_code == 404
    assert application.pk not in [a["id"] for a in
                                  other.get("/api/v1/applications/").json()["results"]]
    # The public pages are not in the staff API's schema.
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/q/" not in schema and "/apply/" not in schema
    assert "/api/v1/applications/{id}/accept/" in schema


def test_the_grid_members_queue_is_not_one_query_per_application(
        client, gm01, client_as, django_assert_max_num_queries, settings):
    settings.PUBLIC_LOOKUPS_PER_HOUR = settings.PUBLIC_ADDRESS_PER_HOUR = 100
    for _ in range(3):
        submit_application(client)
    page = client_as("gm01")
    page.get(reverse("outreach:applications"))
    with django_assert_max_num_queries(25):
        page.get(reverse("outreach:applications"))
    for _ in range(5):
        submit_application(client)
    with django_assert_max_num_queries(25):
        page.get(reverse("outreach:applications"))
    assert staff_of(gm01) is not None
