"""Dispute pages: intake on a phone, my queue, the case page and its buttons, the ledger with
its filters, .xlsx export and print views, the agreement print, scope and query counts."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from disputes import deadlines, exports, selectors
from disputes.models import Attachment, Dispute, MediationSession
from tests.compiled import compiled_tables

from .factories import (
    FIRST_TIER_ACTIONS,
    PHONE,
    demo_small_grid,
    escalate_to,
    make_dispute,
    resolve,
    staff_of,
    user,
    written_agreement,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def intake_post(**overrides):
    data = {
        "small_grid": demo_small_grid().pk, "title": "赵某与钱某院墙纠纷",
        "category": "neighbour", "source": "screening", "description": "院墙倒塌砸坏邻家菜地。",
        "found_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "people_involved": "2",
        "risk_level": "blue",
        # As the page sends it: two party forms, the second left as it was.
        "parties-TOTAL_FORMS": "2", "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "1", "parties-MAX_NUM_FORMS": "50",
        "parties-0-name": "赵大海", "parties-0-role": "applicant", "parties-0-ethnicity": "汉族",
        "parties-0-phone": PHONE, "parties-0-id_number": "",
        "parties-1-name": "", "parties-1-role": "applicant", "parties-1-ethnicity": "汉族",
        "parties-1-phone": "", "parties-1-id_number": "",
    }
    data.update(overrides)
    return data


def text(response) -> str:
    return response.content.decode()


def out_of_scope_case(gm02):
    return resolve(make_dispute(by=gm02, small_grid=demo_small_grid(2, 1)),
                   by=gm02, agreement=written_agreement())


# --- Intake -----------------------------------------------------------------------------------

def test_intake_page_offers_the_grid_members_own_small_grid_and_a_party_form(client_as):
    response = client_as("gm01").get(reverse("disputes:create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["small_grid"].queryset) == [demo_small_grid()]
    assert form.fields["small_grid"].initial == demo_small_grid()
    assert 'name="viewport"' in text(response)
    # The applicant's form, and one more for the respondent.
    assert text(response).count('data-testid="party-form"') == 2


def test_intake_post_creates_the_case_and_opens_its_page(client_as, gm01):
    response = client_as("gm01").post(reverse("disputes:create"), intake_post())
    dispute = Dispute.objects.order_by("-id").first()
    assert response.status_code == 302
    assert response["Location"] == dispute.get_absolute_url()
    assert (dispute.title, dispute.state, dispute.handler) == (
        "赵某与钱某院墙纠纷", "grid_member", staff_of(gm01))
    assert list(dispute.parties.values_list("name", "phone")) == [("赵大海", PHONE)]


def test_intake_post_takes_several_parties(client_as):
    data = intake_post(**{"parties-1-name": "钱小花", "parties-1-role": "respondent",
                          "parties-1-ethnicity": "回族"})
    assert client_as("gm01").post(reverse("disputes:create"), data).status_code == 302
    dispute = Dispute.objects.order_by("-id").first()
    assert list(dispute.parties.values_list("name", "role", "ethnicity")) == [
        ("赵大海", "applicant", "汉族"), ("钱小花", "respondent", "回族")]


def test_intake_post_with_errors_keeps_what_was_typed_and_explains_in_chinese(client_as):
    before = Dispute.objects.count()
    data = intake_post(title="", **{"parties-0-phone": "1381234567",
                                    "parties-0-id_number": "620823198001011230"})
    response = client_as("gm01").post(reverse("disputes:create"), data)
    assert response.status_code == 200
    assert Dispute.objects.count() == before
    page = text(response)
    assert "该字段是必填项" in page
    assert "11位手机号码" in page
    assert "校验位" in page
    # What was typed is still there.
    assert "院墙倒塌砸坏邻家菜地。" in page
    assert 'value="赵大海"' in page
    assert 'value="1381234567"' in page
    assert 'value="620823198001011230"' in page


def test_intake_post_without_a_party_is_refused(client_as):
    before = Dispute.objects.count()
    data = intake_post(**{"parties-0-name": "", "parties-0-phone": ""})
    response = client_as("gm01").post(reverse("disputes:create"), data)
    assert response.status_code == 200
    assert Dispute.objects.count() == before
    assert response.context["parties"].non_form_errors() or response.context["parties"].errors[0]


def test_intake_post_in_a_small_grid_outside_scope_is_refused(client_as):
    before = Dispute.objects.count()
    response = client_as("gm01").post(reverse("disputes:create"),
                                      intake_post(small_grid=demo_small_grid(2, 1).pk))
    assert response.status_code == 200
    assert "small_grid" in response.context["form"].errors
    assert Dispute.objects.count() == before


# --- My queue ---------------------------------------------------------------------------------

def test_a_queue_names_only_the_tiers_held_and_a_user_with_no_desk_reads_none(
        gm01, django_assert_num_queries):
    # A grid member's queue: the cases assigned to them and their grids' unassigned ones at
    # the first tier; no branch for the tiers they do not hold, so its count joins nothing
    # (the mediators' and grid leaders' branches go through the small grid's village).
    with CaptureQueriesContext(connection) as queries:
        assert selectors.dispute_queue_for_user(user=gm01).count() > 0
    (count,) = [q["sql"] for q in queries.captured_queries if 'FROM "disputes_dispute"' in q["sql"]]
    assert "JOIN" not in count, count
    nobody = get_user_model().objects.create_user("no-desk", password="x" * 12)
    queue = selectors.dispute_queue_for_user(user=nobody)
    with django_assert_num_queries(0):
        assert list(queue) == [] and queue.count() == 0


def test_queue_lists_the_cases_waiting_on_me_by_deadline_with_overdue_marked(client_as, gl01):
    response = client_as("gl01").get(reverse("disputes:queue"))
    assert response.status_code == 200
    queue = list(selectors.dispute_queue_for_user(user=gl01))
    assert queue, "the demo leaves open cases at gl01's tier"
    assert [d.pk for d in response.context["page"]] == [d.pk for d in queue]
    dues = [d.tier_due_at for d in queue]
    assert dues == sorted(dues)
    overdue = [d for d in queue if d.overdue]
    assert overdue, "the demo's oldest open cases are past their deadline"
    page = text(response)
    assert page.count('class="badge red">已超期') == len(overdue)
    for d in queue:
        assert d.number in page


def test_queue_shows_a_new_case_to_its_grid_member_only(client_as, gm01):
    dispute = make_dispute(by=gm01)
    assert dispute.number in text(client_as("gm01").get(reverse("disputes:queue")))
    assert dispute.number not in text(client_as("gm02").get(reverse("disputes:queue")))
    assert dispute.number not in text(client_as("med01").get(reverse("disputes:queue")))


# --- The case page ----------------------------------------------------------------------------

def actions_on_page(response) -> set[str]:
    return set(re.findall(r'data-testid="action-([a-z_]+)"', text(response)))


def test_case_page_shows_a_grid_member_only_the_buttons_they_may_use(client_as, gm01):
    dispute = make_dispute(by=gm01)
    response = client_as("gm01").get(dispute.get_absolute_url())
    assert response.status_code == 200
    assert actions_on_page(response) == set(FIRST_TIER_ACTIONS)
    page = text(response)
    assert "张三丰" in page and "138****5678" in page and PHONE not in page, (
        "the case page masks the numbers until a recorded reveal")
    assert "登记纠纷" in page  # the timeline


def test_case_page_builds_an_actions_form_only_when_it_is_opened(client_as, gm01, gm02):
    """The page lists the actions; each form comes from the action's own address (the
    entry fetches it when opened), so the page does not grow with actions and pickers."""
    dispute = make_dispute(by=gm01)
    client = client_as("gm01")
    page = text(client.get(dispute.get_absolute_url()))
    url = reverse("disputes:action", args=[dispute.pk, "escalate"])
    assert f'data-action-form="{url}"' in page and 'name="mediator"' not in page
    fragment = client.get(url, {"fragment": 1})
    assert fragment.status_code == 200
    body = text(fragment)
    assert 'name="mediator"' in body and 'name="idempotency_token"' in body
    assert "<html" not in body, "a fragment, not a page"
    # Without script the entry's link opens the same form on a page of its own.
    assert 'name="mediator"' in text(client.get(url)) and "<html" in text(client.get(url))
    # Only for what the user may do now, and only in scope: otherwise missing.
    assert client.get(reverse("disputes:action", args=[dispute.pk, "void"])).status_code == 404
    assert client_as("gm02").get(url, {"fragment": 1}).status_code == 404
    session = reverse("disputes:session_add", args=[dispute.pk])
    assert f'data-action-form="{session}"' in page
    assert 'name="record"' in text(client.get(session, {"fragment": 1}))
    assert client_as("gm02").get(session, {"fragment": 1}).status_code == 404


def test_case_page_shows_leadership_the_void_button(client_as, gm01):
    dispute = make_dispute(by=gm01)
    assert "void" in actions_on_page(client_as("leader").get(dispute.get_absolute_url()))


def test_case_page_shows_no_buttons_to_an_office_that_only_watches(client_as, gm01):
    dispute = make_dispute(by=gm01)
    response = client_as("office").get(dispute.get_absolute_url())
    assert response.status_code == 200
    assert actions_on_page(response) == set()


def test_escalate_form_offers_the_villages_mediators_with_their_load(client_as, gm01, med01):
    dispute = make_dispute(by=gm01)
    response = client_as("gm01").get(reverse("disputes:action", args=[dispute.pk, "escalate"]),
                                     {"fragment": 1})
    mediators = list(response.context["item"]["form"].fields["mediator"].queryset)
    assert staff_of(med01) in mediators[:2]
    assert f"{staff_of(med01).name} · 调解员（黄寨村人民调解委员会） · 在办" in text(response)


# --- The mediator pickers ----------------------------------------------------------------------

def _action_fragment(client, dispute, name):
    """The action's form as the case page fetches it when the action is opened."""
    response = client.get(reverse("disputes:action", args=[dispute.pk, name]), {"fragment": 1})
    assert response.status_code == 200
    return response


def _action_form(client, dispute, name):
    return _action_fragment(client, dispute, name).context["item"]["form"]


def test_the_mediator_pickers_offer_only_the_cases_committees_mediators_with_role_and_village(
        client_as, gm01, med01, med02):
    from grid.selectors import mediator_candidates

    dispute = make_dispute(by=gm01)
    response = _action_fragment(client_as("gm01"), dispute, "escalate")
    field = response.context["item"]["form"].fields["mediator"]
    offered = {staff.pk for staff in field.queryset}
    assert offered == set(mediator_candidates(
        town_id=dispute.town_id, large_grid_id=dispute.small_grid.large_grid_id)
        .values_list("id", flat=True))
    assert staff_of(med01).pk in offered and staff_of(med02).pk not in offered
    assert staff_of(gm01).pk not in offered
    labels = [str(label) for _value, label in field.choices]
    assert any("调解员（黄寨镇人民调解委员会）" in label for label in labels)
    page = text(response)
    assert 'id="id_escalate_mediator"' in page
    select = page[page.index('id="id_escalate_mediator"') - 200:]
    assert "data-picker" in select[:400] and 'data-keys="lg:1"' in select


def test_escalating_to_a_mediator_of_another_village_is_refused_in_chinese(
        client_as, gm01, med02):
    dispute = make_dispute(by=gm01)
    response = client_as("gm01").post(
        reverse("disputes:action", args=[dispute.pk, "escalate"]),
        {"seen_state": "grid_member", "note": "劝解未果", "mediator": staff_of(med02).pk})
    assert response.status_code == 400
    assert "所选人员不是本村或本镇人民调解委员会的调解员，请从列表中选择。" in text(response)
    dispute.refresh_from_db()
    assert dispute.state == "grid_member"


def test_the_service_refuses_an_ineligible_mediator_whatever_the_interface(gm01, gl01):
    from django.core.exceptions import ValidationError

    from disputes import services

    dispute = make_dispute(by=gm01)
    with pytest.raises(ValidationError) as refused:
        services.dispute_escalate(dispute=dispute, by=gm01, note="劝解未果",
                                  mediator=staff_of(gl01))
    assert "不是本村或本镇调委会的调解员" in str(refused.value)


def test_the_reassign_and_signature_pickers_are_the_same_picker(client_as, gm01, med01):
    from disputes import services

    dispute = services.dispute_escalate(dispute=make_dispute(by=gm01), by=gm01,
                                        note="劝解未果", mediator=staff_of(med01))
    client = client_as("chair")
    reassign = _action_form(client, dispute, "reassign").fields["mediator"]
    resolve = _action_form(client, dispute, "resolve").fields["mediator"]
    chair = staff_of(user("chair"))
    assert "data-picker" in reassign.widget.attrs and "data-picker" in resolve.widget.attrs
    assert chair.pk not in {s.pk for s in reassign.queryset}
    assert chair.pk in {s.pk for s in resolve.queryset}, "a chair may sign the agreement"
    assert any("主任" in str(label) for _value, label in resolve.choices)
    response = client_as("chair").post(
        reverse("disputes:action", args=[dispute.pk, "reassign"]),
        {"seen_state": "mediator", "note": "当事人申请回避", "mediator": chair.pk})
    assert response.status_code == 400
    assert "所选人员不是本村或本镇人民调解委员会的调解员" in text(response)
    dispute.refresh_from_db()
    assert dispute.handler == staff_of(med01)


def test_action_post_runs_the_transition_and_returns_to_the_case(client_as, gm01, med01):
    dispute = make_dispute(by=gm01)
    client = client_as("gm01")
    response = client.post(reverse("disputes:action", args=[dispute.pk, "escalate"]),
                           {"seen_state": "grid_member", "note": "劝解未果",
                            "mediator": staff_of(med01).pk}, follow=True)
    dispute.refresh_from_db()
    assert (dispute.state, dispute.handler) == ("mediator", staff_of(med01))
    assert "已完成" in text(response)
    # gm01 may still read the case, but no longer act on it.
    assert actions_on_page(response) == set()


def test_action_post_with_missing_input_shows_the_form_again_with_errors(client_as, gm01):
    dispute = make_dispute(by=gm01)
    response = client_as("gm01").post(
        reverse("disputes:action", args=[dispute.pk, "withdraw"]), {"seen_state": "grid_member"})
    assert response.status_code == 400
    assert "该字段是必填项" in text(response)
    assert '<details open data-testid="action-withdraw">' in text(response)
    dispute.refresh_from_db()
    assert dispute.state == "grid_member"


def test_action_post_on_a_page_gone_stale_shows_the_conflict(client_as, gm01):
    dispute = make_dispute(by=gm01)
    response = client_as("leader").post(
        reverse("disputes:action", args=[dispute.pk, "resolve"]),
        {"seen_state": "mediator", "outcome": "化解"}, follow=True)
    assert "该案件刚被他人处理" in text(response)
    dispute.refresh_from_db()
    assert dispute.state == "grid_member"


def test_action_post_refused_by_the_service_shows_its_reason(client_as, gm01):
    dispute = make_dispute(by=gm01, risk_level="blue")
    response = client_as("gm01").post(
        reverse("disputes:action", args=[dispute.pk, "escalate_urgent"]),
        {"seen_state": "grid_member", "justification": "紧急"}, follow=True)
    assert "红色风险" in text(response)
    dispute.refresh_from_db()
    assert dispute.state == "grid_member"


def test_resolved_case_page_shows_the_agreement_and_the_judicial_confirmation_window(
        client_as, gm01):
    dispute = resolve(make_dispute(by=gm01), by=gm01, agreement=written_agreement(),
                      written_required=True)
    response = client_as("gm01").get(dispute.get_absolute_url())
    until = deadlines.judicial_confirmation_until(dispute.agreement.signed_on)
    page = text(response)
    assert "已化解" in page
    assert f"30日内（至 {until:%Y-%m-%d}）" in page
    assert reverse("disputes:agreement_print", args=[dispute.pk]) in page
    assert actions_on_page(response) == {"followup", "record_confirmation"}


def test_session_and_attachment_are_recorded_from_the_case_page(client_as, gm01, med01,
                                                                settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    client = client_as("med01")
    response = client.post(reverse("disputes:session_add", args=[dispute.pk]), {
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "place": "村委会调解室",
        "mediators": [staff_of(med01).pk], "record": "听取双方陈述。"})
    assert response.status_code == 302
    assert MediationSession.objects.get(dispute=dispute).place == "村委会调解室"

    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    assert client.post(reverse("disputes:attachment_add", args=[dispute.pk]),
                       {"files": [photo]}).status_code == 302
    attachment = Attachment.objects.get(dispute=dispute)
    assert (attachment.kind, attachment.original_name) == ("photo", "现场.png")
    download = client.get(reverse("disputes:attachment", args=[dispute.pk, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG

    fake = SimpleUploadedFile("病毒.exe", b"MZ" + b"\x00" * 10)
    response = client.post(reverse("disputes:attachment_add", args=[dispute.pk]),
                           {"files": [fake]})
    assert response.status_code == 400
    assert "不支持的文件类型" in text(response)
    assert Attachment.objects.filter(dispute=dispute).count() == 1


# --- Every page of a case outside the scope answers 404 ---------------------------------------

def test_every_page_of_a_case_outside_scope_answers_404(client_as, gm02, settings, tmp_path):
    from disputes import services

    settings.MEDIA_ROOT = tmp_path
    dispute = out_of_scope_case(gm02)
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = services.dispute_attachment_add(
        dispute=dispute, by=gm02, upload=SimpleUploadedFile("a.png", PNG))
    client = client_as("gm01")
    pk = dispute.pk
    gets = [reverse("disputes:detail", args=[pk]),
            reverse("disputes:agreement_print", args=[pk]),
            reverse("disputes:attachment", args=[pk, attachment.pk])]
    posts = [reverse("disputes:action", args=[pk, "followup"]),
             reverse("disputes:action", args=[pk, "void"]),
             reverse("disputes:session_add", args=[pk]),
             reverse("disputes:attachment_add", args=[pk])]
    for path in gets:
        assert client.get(path).status_code == 404, path
        assert client_as("gm02").get(path).status_code == 200, path
    for path in posts:
        assert client.post(path, {"seen_state": "resolved", "reason": "x"}).status_code == 404, path


# --- Agreement print --------------------------------------------------------------------------

def test_written_agreement_prints_as_a_peoples_mediation_agreement(client_as, gm01):
    dispute = resolve(make_dispute(by=gm01), by=gm01, agreement=written_agreement(),
                      written_required=True)
    response = client_as("gm01").get(reverse("disputes:agreement_print", args=[dispute.pk]))
    assert response.status_code == 200
    page = text(response)
    until = deadlines.judicial_confirmation_until(dispute.agreement.signed_on)
    assert "人民调解协议书" in page and dispute.number in page
    assert "共同出资改建排水沟" in page and "张三丰" in page
    assert f"{until.year}年{until.month}月{until.day}日" in page


def test_an_oral_agreement_has_no_print(client_as, gm01):
    dispute = resolve(make_dispute(by=gm01), by=gm01)
    assert client_as("gm01").get(
        reverse("disputes:agreement_print", args=[dispute.pk])).status_code == 404


# --- The ledger -------------------------------------------------------------------------------

def test_ledger_lists_the_users_scope_with_masked_parties(client_as, gm01):
    dispute = make_dispute(by=gm01)
    response = client_as("gm01").get(reverse("disputes:ledger"))
    assert response.status_code == 200
    assert [str(h) for h in response.context["headers"]] == [str(h) for h in
                                                            exports.LEDGER_HEADERS]
    numbers = {row["dispute"].number for row in response.context["rows"]}
    assert dispute.number in numbers
    assert numbers == set(Dispute.objects.filter(small_grid=demo_small_grid())
                          .values_list("number", flat=True))
    page = text(response)
    assert "张*丰" in page and "138****5678" in page
    assert PHONE not in page and "张三丰" not in page
    assert 'data-testid="fengqiao"' in page


@pytest.mark.parametrize(("params", "lookup"), [
    ({"state": "chair"}, {"state": "chair"}),
    ({"category": "neighbour"}, {"category": "neighbour"}),
    ({"risk_level": "yellow"}, {"risk_level": "yellow"}),
    ({"overdue": "on"}, {"state__in": ["grid_member", "mediator", "grid_leader", "chair"],
                         "tier_due_at__lt": "now"}),
])
def test_ledger_filters(client_as, params, lookup):
    if lookup.get("tier_due_at__lt") == "now":
        lookup["tier_due_at__lt"] = timezone.now()
    response = client_as("leader").get(reverse("disputes:ledger"), {**params, "page": 1})
    expected = Dispute.objects.filter(**lookup)
    assert response.context["page"].count.value == expected.count() > 0
    assert {row["dispute"].pk for row in response.context["rows"]} <= set(
        expected.values_list("pk", flat=True))


def test_ledger_filters_by_grid_and_dates(client_as):
    lg = demo_small_grid(4, 1).large_grid
    today = timezone.localdate()
    response = client_as("leader").get(reverse("disputes:ledger"), {
        "large_grid": lg.pk, "found_from": f"{today.year}-01-01", "found_to": today.isoformat()})
    expected = Dispute.objects.filter(small_grid__large_grid=lg,
                                      found_at__date__gte=f"{today.year}-01-01")
    assert response.context["page"].count.value == expected.count() > 0


def test_ledger_refuses_a_date_range_backwards(client_as):
    response = client_as("leader").get(reverse("disputes:ledger"),
                                       {"found_from": "2026-05-01", "found_to": "2026-04-01"})
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in text(response)


def test_ledger_exports_xlsx_with_the_same_headers_masked_and_filtered(client_as, gm01):
    dispute = make_dispute(by=gm01, category="labour")
    response = client_as("leader").get(reverse("disputes:ledger_export"), {"category": "labour"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [str(h) for h in exports.LEDGER_HEADERS]
    assert len(rows) - 1 == Dispute.objects.filter(category="labour").count()
    assert [r[0] for r in rows[1:]] == list(range(1, len(rows)))
    (mine,) = [r for r in rows[1:] if r[1] == dispute.number]
    columns = dict(zip(rows[0], mine, strict=True))
    assert columns["当事人"] == "张*丰（申请人，138****5678）；李*（被申请人，139****1111）"
    assert columns["纠纷类型"] == "劳动争议"
    assert columns["当前层级/状态"] == "网格员调解"
    assert columns["责任人"] == staff_of(gm01).name
    assert staff_of(gm01).name not in (columns["包抓领导"] or "")
    assert "汤宏伟" in columns["包抓领导"]  # leader is the Party committee member for 黄寨村
    flat = "".join(str(c) for r in rows for c in r if c)
    assert PHONE not in flat and "张三丰" not in flat


def test_ledger_export_follows_the_users_scope(client_as, gm01):
    response = client_as("gm01").get(reverse("disputes:ledger_export"))
    content = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(rows) - 1 == Dispute.objects.filter(small_grid=demo_small_grid()).count()


@pytest.mark.parametrize("params", [{}, {"state": "resolved"}])
def test_ledger_print_view(client_as, params):
    response = client_as("leader").get(reverse("disputes:ledger_print"), params)
    assert response.status_code == 200
    page = text(response)
    assert "矛盾纠纷摸排台账" in page
    expected = Dispute.objects.filter(**params).count()
    assert len(response.context["rows"]) == expected


# --- Query counts -----------------------------------------------------------------------------

def count_queries(client, path, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(queries)


def test_ledger_page_query_count_does_not_grow_with_rows(client_as,
                                                         django_assert_max_num_queries):
    path = reverse("disputes:ledger")
    few = count_queries(client_as("leader"), path, {"state": "chair"})
    many = count_queries(client_as("leader"), path)
    assert few == many
    client = client_as("leader")
    with django_assert_max_num_queries(LEDGER_QUERIES):
        client.get(path)


def test_queue_page_query_count_does_not_grow_with_rows(client_as, gm01,
                                                        django_assert_max_num_queries):
    path = reverse("disputes:queue")
    few = count_queries(client_as("gm01"), path)
    for _ in range(5):
        make_dispute(by=gm01)
    many = count_queries(client_as("gm01"), path)
    assert few == many
    client = client_as("gm01")
    with django_assert_max_num_queries(QUEUE_QUERIES):
        client.get(path)


def test_ledger_export_query_count_does_not_grow_with_rows(client_as,
                                                           django_assert_max_num_queries):
    path = reverse("disputes:ledger_export")
    few = count_queries(client_as("leader"), path, {"state": "chair"})
    many = count_queries(client_as("leader"), path)
    assert few == many
    client = client_as("leader")
    with django_assert_max_num_queries(EXPORT_QUERIES):
        client.get(path)


# Measured, then pinned: the session and user, the scope, the header's unread count, then the
# page's own queries (count, rows with parties, latest measures, leaders in charge, headline,
# the user's saved filters). None of them depends on the number of rows.
LEDGER_QUERIES = 18
QUEUE_QUERIES = 9
# The export also writes its row of the personal-data access log, counts its rows (to choose
# between the request and the worker), and streams its rows from a temporary file.
EXPORT_QUERIES = 14


LIST_TABLES = ("disputes_mediationagreement", "disputes_disputeavertedrisk",
               "disputes_policereport", "disputes_disputereferral", "disputes_mediationsession",
               "disputes_followupvisit", "disputes_attachment")


def _list_reads(queries) -> dict:
    """{table: how many queries read it}, leaving out the case's own row (whose EXISTS
    columns name every one of them)."""
    reads = {}
    for query in queries:
        if '"case_lists"' in query["sql"]:
            continue
        for table in LIST_TABLES:
            if f'FROM "{table}"' in query["sql"]:
                reads[table] = reads.get(table, 0) + 1
    return reads


def test_a_new_cases_page_reads_none_of_its_empty_lists(client_as, gm01):
    """A new case has no agreement, session, follow-up, attachment, police report, referral
    or averted risk: its page learns that with the case's own row and reads none of them."""
    dispute = make_dispute(by=gm01)
    assert dispute.unit_id is None
    client = client_as("gm01")
    with CaptureQueriesContext(connection) as queries, compiled_tables() as compiled:
        response = client.get(dispute.get_absolute_url())
    assert response.status_code == 200
    assert _list_reads(queries) == {}
    # Not even compiled: Django compiles a query of none() before it finds nothing to run.
    assert not set(compiled) & {*LIST_TABLES, "grid_serviceunit"}, compiled
    assert response.context["agreement"] is None
    assert list(response.context["sessions"]) == []
    assert list(response.context["police_reports"]) == []
    assert "disputes_dispute" in compiled


def test_a_case_with_every_list_reads_each_once_and_shows_it(client_as, gm01, leader):
    from disputes.models import DisputeAvertedRisk, DisputeReferral, PoliceReport

    dispute = resolve(escalate_to(make_dispute(by=gm01), "mediator"))
    now = timezone.now()
    MediationSession.objects.create(dispute=dispute, held_at=now, place="村委会",
                                    record="第一次调解记录", recorded_by=leader)
    Attachment.objects.create(dispute=dispute, kind="other", file="x.pdf",
                              original_name="现场照片.pdf", size=10, uploaded_by=leader)
    DisputeAvertedRisk.objects.create(dispute=dispute, kind="group_fight", people=12)
    PoliceReport.objects.create(dispute=dispute, reported_by=leader, note="已报派出所备案")
    DisputeReferral.objects.create(dispute=dispute, target="police", referred_by=leader,
                                   receipt_due=now, result_due=now)
    dispute.followups.create(visited_on=timezone.localdate(), visitor=staff_of(leader),
                             agreement_kept=True, recorded_by=leader)
    client = client_as("leader")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(dispute.get_absolute_url())
    assert response.status_code == 200
    assert _list_reads(queries) == dict.fromkeys(LIST_TABLES, 1)
    assert response.context["agreement"] is not None
    page = text(response)
    assert "第一次调解记录" in page and "现场照片.pdf" in page and "已报派出所备案" in page
    assert 'data-testid="averted-group_fight"' in page
    assert 'data-testid="referrals"' in page


def test_case_page_gives_every_action_form_its_own_field_ids(client_as, gm01):
    """Each label points at its own form's field (withdraw and void both have a reason)."""
    dispute = escalate_to(make_dispute(by=gm01, risk_civil_to_criminal=True), "chair")
    response = client_as("leader").get(dispute.get_absolute_url())
    assert {"refer", "withdraw", "void"} <= actions_on_page(response)
    ids = re.findall(r'\sid="([^"]+)"', text(response))
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_ledger_export_keeps_typed_text_from_becoming_a_formula(client_as, gm01):
    dispute = make_dispute(by=gm01, title='=HYPERLINK("http://evil.example","点我")')
    response = client_as("gm01").get(reverse("disputes:ledger_export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    (row,) = [r for r in sheet.iter_rows() if r[1].value == dispute.number]
    summary = row[[str(h) for h in exports.LEDGER_HEADERS].index("简要情况")]
    assert summary.value == dispute.title
    assert summary.data_type == "s"


def test_the_ledgers_measure_is_each_cases_newest_note(gm01):
    """采取的措施: the newest history row with a note, of each case of a page (an empty note
    is skipped; at the same moment, the later row)."""
    from disputes.models import DisputeEvent
    from disputes.selectors import latest_measures

    cases = [make_dispute(by=gm01) for _ in range(3)]
    first, second, _third = cases
    at = timezone.now()
    for dispute, note in [(first, "先到现场了解情况"), (first, "组织双方面对面协商"),
                          (first, ""), (second, "电话联系申请人")]:
        DisputeEvent.objects.create(dispute=dispute, action="session", note=note, actor=gm01,
                                    created_at=at)
    expected = {}
    for event in DisputeEvent.objects.filter(dispute__in=cases).exclude(note=""):
        best = expected.get(event.dispute_id)
        if best is None or (event.created_at, event.pk) > (best.created_at, best.pk):
            expected[event.dispute_id] = event
    measures = latest_measures(dispute_ids=[d.pk for d in cases])
    assert measures == {pk: event.note for pk, event in expected.items()}
    assert measures[first.pk] == "组织双方面对面协商"
