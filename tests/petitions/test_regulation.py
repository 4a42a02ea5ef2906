"""The rules of the 2022 信访工作条例 the petitions app encodes, one test (or a few) per rule,
with the article in its name: forms (第十七条), a repeat to a higher level and skip-level
(第十九、二十条), representatives (第二十条), the national number, the query code and the
evaluation (第二十一条), transfer of accusations (第二十二、三十条), recusal (第二十八条), the
kinds (第二十九至三十一、三十四条), delivery and the review window (第三十五条) and the
re-review hearing (第三十六条). The extension (第三十四条) is tested in test_services, test_api
and below through the page."""

import datetime
import io
import re

import pytest
import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from openpyxl import load_workbook

from cadence import figures
from casework.querycode import ALPHABET, qr_code, query_url
from petitions import deadlines, exports, permissions, selectors, services
from petitions.models import CountyPetitionSettings, Petition
from supervision.models import ResponsibilityTrace

from .factories import (
    accept,
    answer_review,
    deliver,
    demo_small_grid,
    escalate,
    make_petition,
    petitioner,
    replied,
    reply,
    representatives,
    request_extension,
    request_review,
    staff_of,
    town_staff,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def html(response) -> str:
    return response.content.decode()


def selectors_list(user, **filters):
    return selectors.petition_list_for_user(user=user, filters=filters).values("id")


def flags(petition):
    return selectors.petition_get_for_user(user=petition.created_by, pk=petition.pk)


# --- 第十七条: the forms -------------------------------------------------------------------

def test_fax_is_a_form_of_petition_art_17(gm01):
    petition = make_petition(by=gm01, form="fax")
    assert petition.get_form_display() == "传真"


# --- 第二十条: representatives of those who come in person -------------------------------------

def test_six_representatives_who_come_in_person_are_refused_art_20(gm01):
    with pytest.raises(ValidationError) as exc:
        make_petition(by=gm01, form="visit", people_count=12, petitioners=representatives(6))
    assert "走访" in str(exc.value.message_dict["petitioners"])


def test_a_letter_signed_by_six_is_accepted_and_still_a_group_matter_art_20(gm01):
    petition = make_petition(by=gm01, form="letter", people_count=6,
                             petitioners=representatives(6))
    assert petition.is_group
    assert Petition.objects.group().filter(pk=petition.pk).exists()


# --- 第十九、二十条: the county is the lawful next level ------------------------------------------

def test_a_visit_to_the_county_is_a_repeat_to_a_higher_level_not_skip_level_art_19_20(
        gm01, django_capture_on_commit_callbacks):
    petition = accept(make_petition(by=gm01), by=gm01)
    with django_capture_on_commit_callbacks(execute=True):
        services.petition_record_higher_visit(petition=petition, by=gm01, level="county",
                                              visited_on=timezone.localdate())
    shown = flags(petition)
    assert (shown.skip_level, shown.repeat_to_higher) == (False, True)
    assert not ResponsibilityTrace.objects.filter(petition=petition).exists()
    row = exports.ledger_rows(selectors.petition_ledger_for_user(user=gm01).filter(
        pk=petition.pk))[0]["cells"]
    assert "向上级重复信访" in row[8] and "越级访" not in row[8]
    with django_capture_on_commit_callbacks(execute=True):
        services.petition_record_higher_visit(petition=petition, by=gm01, level="city",
                                              visited_on=timezone.localdate())
    shown = flags(petition)
    assert (shown.skip_level, shown.repeat_to_higher) == (True, True)
    assert ResponsibilityTrace.objects.filter(petition=petition,
                                              trigger="skip_level_petition").exists()


def test_which_levels_are_skip_level_is_a_county_setting_art_20(gm01, user_factory):
    county = demo_small_grid().large_grid.town.county
    assert services.skip_levels_for(county_id=county.pk) == {"city", "province", "national"}
    with pytest.raises(PermissionDenied):
        services.county_skip_levels_set(county=county, levels=["county"], by=gm01)
    with pytest.raises(ValidationError):
        services.county_skip_levels_set(county=county, levels=["moon"], by=user_factory("admin"))
    services.county_skip_levels_set(county=county, levels=["county", "city", "province",
                                                           "national"],
                                    by=user_factory("county"))
    assert CountyPetitionSettings.objects.get(county=county).skip_levels[0] == "county"
    petition = accept(make_petition(by=gm01), by=gm01)
    services.petition_record_higher_visit(petition=petition, by=gm01, level="county",
                                          visited_on=timezone.localdate())
    assert flags(petition).skip_level is True


def test_skip_level_figures_follow_the_county_rule_art_20(gm01):
    month = timezone.localdate().replace(day=1)
    before = figures.monthly_figures(town=demo_small_grid().large_grid.town,
                                     month=month)["petitions"]["skip_level"]
    petition = accept(make_petition(by=gm01), by=gm01)
    services.petition_record_higher_visit(petition=petition, by=gm01, level="county",
                                          visited_on=timezone.localdate())
    after = figures.monthly_figures(town=petition.town, month=month)["petitions"]
    assert after["skip_level"] == before
    services.petition_record_higher_visit(petition=petition, by=gm01, level="national",
                                          visited_on=timezone.localdate())
    after = figures.monthly_figures(town=petition.town, month=month)["petitions"]
    assert after["skip_level"] == before + 1


# --- 第二十一条: national number, query code, evaluation ------------------------------------------

def test_national_number_is_searchable_and_in_the_ledger_and_export_art_21(gm01, petition,
                                                                           client_as):
    case = make_petition(by=gm01, national_number="62082326000777")
    other = make_petition(by=gm01, subject="另一件事")
    services.petition_set_national_number(petition=other, by=petition,
                                          national_number="62082326000888")
    with pytest.raises(PermissionDenied):
        services.petition_set_national_number(petition=other, by=gm01, national_number="1")
    found = selectors.petition_list_for_user(user=gm01, filters={"q": "26000777"})
    assert list(found.values_list("pk", flat=True)) == [case.pk]
    client = client_as("petition")
    assert "62082326000888" in html(client.get("/petitions/", {"q": "62082326000888"}))
    export = client.get("/petitions/export.xlsx", {"q": "6208232600"})
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
    column = list(rows[0]).index("国家信访信息系统编号")
    assert {r[column] for r in rows[1:]} >= {"62082326000777", "62082326000888"}


def test_every_accepted_matter_has_a_short_unambiguous_query_code_art_21(gm01):
    registered = make_petition(by=gm01)
    assert registered.query_code is None
    codes = {accept(make_petition(by=gm01, subject=f"事项{i}"), by=gm01).query_code
             for i in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert len(code) == 8 and set(code) <= set(ALPHABET)
        assert not set(code) & set("0O1I")
    assert Petition.objects.filter(accepted_on__isnull=False, query_code__isnull=True
                                   ).count() == 0, "the demo's accepted ones have theirs"


def test_the_notices_print_the_query_code_and_its_qr_code_art_21(gm01, client_as, settings):
    settings.SITE_URL = "https://mediation.example.gov.cn"
    petition = accept(make_petition(by=gm01), by=gm01)
    code = petition.query_code
    expected = f"https://mediation.example.gov.cn/q/?code={code}"
    assert query_url(code) == expected
    # The QR code is the encoding of exactly that URL: the same modules as segno draws for it.
    assert qr_code(code).matrix == segno.make_qr(expected, error="m").matrix
    assert qr_code(code).mode == "byte"
    page = html(client_as("gm01").get(reverse("petitions:print", args=[petition.pk, "notice"])))
    assert code in page and expected in page
    svg = re.search(r'<svg[^>]*class="segno".*?</svg>', page, re.S)[0]
    assert svg == segno.make_qr(expected, error="m").svg_inline(scale=3, border=2, title=code)
    assert "http" not in svg.replace(expected, ""), "drawn inline, no file, no CDN"
    opinion = reply(petition, by=gm01)
    page = html(client_as("gm01").get(reverse("petitions:print", args=[opinion.pk, "opinion"])))
    assert code in page and "<svg" in page


def test_evaluation_once_after_the_reply_in_ledger_and_monthly_figures_art_21(gm01, client_as):
    month = timezone.localdate().replace(day=1)
    town = demo_small_grid().large_grid.town
    before = figures.monthly_figures(town=town, month=month)["petitions"]
    petition = accept(make_petition(by=gm01), by=gm01)
    with pytest.raises(TransitionNotAllowed):
        services.petition_evaluate(petition=petition, by=gm01, evaluation="satisfied")
    reply(petition, by=gm01)
    with pytest.raises(ValidationError):
        services.petition_evaluate(petition=petition, by=gm01, evaluation="so-so")
    services.petition_evaluate(petition=petition, by=gm01, evaluation="basically_satisfied",
                               comment="问题基本解决")
    petition.refresh_from_db()
    assert (petition.evaluation, petition.evaluated_on) == ("basically_satisfied",
                                                             timezone.localdate())
    assert petition.events.order_by("-id").first().action == "evaluate"
    with pytest.raises(TransitionNotAllowed):
        services.petition_evaluate(petition=petition, by=gm01, evaluation="dissatisfied")
    after = figures.monthly_figures(town=town, month=month)["petitions"]
    assert after["evaluated"] == before["evaluated"] + 1
    assert after["basically_satisfied"] == before["basically_satisfied"] + 1
    assert after["dissatisfied"] == before["dissatisfied"]
    ledger = html(client_as("gm01").get("/petitions/", {"q": petition.number}))
    assert "基本满意：问题基本解决" in ledger


# --- 第二十二、三十条: accusations --------------------------------------------------------------

def test_an_accusation_is_transferred_to_the_discipline_organ_and_leaves_the_town_art_22(
        gm01, petition):
    case = accept(make_petition(by=gm01, kind="accusation", subject="反映村干部优亲厚友",
                                petitioners=[petitioner(name="检举人甲乙", id_number="",
                                                        phone="")]), by=gm01)
    assert case.reply_due is None, "no 60-day limit for an accusation (第三十四条)"
    with pytest.raises(PermissionDenied):
        services.petition_transfer_discipline(petition=case, by=gm01, organ="崇信县纪委监委")
    with pytest.raises(ValidationError):
        services.petition_transfer_discipline(petition=case, by=petition, organ=" ")
    services.petition_transfer_discipline(petition=case, by=petition, organ="崇信县纪委监委",
                                          transferred_on=timezone.localdate() - DAY)
    case.refresh_from_db()
    assert (case.state, case.discipline_organ, case.transferred_on, case.handler) == (
        "transferred", "崇信县纪委监委", timezone.localdate() - DAY, None)
    assert not Petition.objects.open().filter(pk=case.pk).exists()
    assert not case.proxies.filter(ended_at__isnull=True).exists()
    assert not permissions.can_see_identity(case, gm01)
    assert case.events.order_by("-id").first().action == "transfer_discipline"


def test_only_an_accusation_may_be_transferred_art_22(gm01, petition):
    claim = accept(make_petition(by=gm01), by=gm01)
    with pytest.raises(TransitionNotAllowed):
        services.petition_transfer_discipline(petition=claim, by=petition, organ="县纪委监委")
    claim.refresh_from_db()
    assert claim.state == "grid"


# --- 第二十八条: recusal ----------------------------------------------------------------------

def test_the_proxy_with_a_direct_interest_recuses_and_is_replaced_art_28(gm01, petition):
    case = accept(make_petition(by=gm01), by=gm01)
    replacement = town_staff()
    with pytest.raises(ValidationError) as exc:
        services.petition_recuse(petition=case, by=gm01, reason="信访人系本人近亲属")
    assert "replacement" in exc.value.message_dict
    services.petition_recuse(petition=case, by=gm01, reason="信访人系本人近亲属",
                             replacement=replacement)
    case.refresh_from_db()
    assert (case.handler, case.proxy_agent) == (replacement, replacement)
    assert list(case.proxies.filter(ended_at__isnull=True).values_list("agent", flat=True)) == [
        replacement.pk]
    event = case.events.order_by("-id").first()
    assert event.action == "recuse" and replacement.name in event.note
    with pytest.raises(ValidationError):
        services.petition_recuse(petition=case, by=petition, staff=staff_of(gm01),
                                 reason="再次登记")


def test_a_recused_staff_member_is_never_made_handler_or_coordinator_art_28(
        gm01, gl01, petition):
    case = accept(make_petition(by=gm01), by=gm01)
    services.petition_recuse(petition=case, by=gl01, reason="与被反映人有利害关系")
    case = escalate(case, by=gm01)
    assert case.handler == staff_of(petition), "the petition office, not the recused leader"
    services.petition_recuse(petition=case, by=petition, staff=town_staff(),
                             reason="与信访人有利害关系")
    with pytest.raises(ValidationError) as exc:
        services.petition_assign_coordinator(petition=case, by=petition,
                                             coordinator=town_staff(),
                                             county_department="县水务局")
    assert "coordinator" in exc.value.message_dict


def test_only_the_office_records_someone_elses_recusal_art_28(gm01, gl01):
    case = accept(make_petition(by=gm01), by=gm01)
    with pytest.raises(PermissionDenied):
        services.petition_recuse(petition=case, by=gm01, staff=staff_of(gl01), reason="利害关系")
    assert not case.recusals.exists()


# --- 第二十九条: a suggestion is answered and closed --------------------------------------------

def test_a_suggestion_is_answered_and_closed_without_the_60_days_art_29(gm01, travel):
    case = accept(make_petition(by=gm01, kind="suggestion", subject="建议修缮村道"), by=gm01)
    assert case.reply_due is None
    travel(days=90)
    assert not Petition.objects.overdue().filter(pk=case.pk).exists()
    reply(case, by=gm01)
    assert (case.state, case.close_reason, case.closed_on) == ("closed", "answered",
                                                               case.replied_on)
    assert not case.proxies.filter(ended_at__isnull=True).exists()


def test_only_a_claim_runs_the_60_days_and_the_review_chain_art_34_35(gm01, petition):
    claim = accept(make_petition(by=gm01), by=gm01)
    assert claim.reply_due == claim.accepted_on + 60 * DAY
    accusation = reply(accept(make_petition(by=gm01, kind="accusation", subject="反映问题"),
                              by=gm01), by=gm01)
    with pytest.raises(TransitionNotAllowed):
        request_review(accusation, by=petition)
    services.petition_close(petition=accusation, by=gm01)
    accusation.refresh_from_db()
    assert (accusation.state, accusation.close_reason) == ("closed", "answered")


# --- 第三十五条: delivery and the review window ----------------------------------------------------

def test_the_review_window_counts_from_delivery_art_35(gm01, travel, client_as):
    case = replied(by=gm01, delivered=False)
    assert case.is_undelivered
    assert "答复未送达" in html(client_as("gm01").get("/petitions/", {"q": case.number}))
    assert case.pk in [p["id"] for p in selectors_list(gm01, undelivered=True)]
    travel(days=40)
    with pytest.raises(TransitionNotAllowed):
        services.petition_close(petition=case, by=gm01, satisfied=False)
    delivered_on = timezone.localdate() - 5 * DAY
    with pytest.raises(ValidationError):
        services.petition_deliver(petition=case, by=gm01, delivered_on=delivered_on,
                                  method="pigeon")
    deliver(case, by=gm01, on=delivered_on, method="post")
    assert case.pk not in [p["id"] for p in selectors_list(gm01, undelivered=True)]
    assert (case.delivered_on, case.get_delivery_method_display()) == (delivered_on, "邮寄送达")
    assert deadlines.review_request_until(case.delivered_on) == delivered_on + 30 * DAY
    with pytest.raises(TransitionNotAllowed):
        deliver(case, by=gm01)
    with pytest.raises(TransitionNotAllowed):
        services.petition_close(petition=case, by=gm01, satisfied=False)
    travel(days=40 + 26)
    services.petition_close(petition=case, by=gm01, satisfied=False)
    case.refresh_from_db()
    assert case.close_reason == "review_window_passed"


def test_the_handling_opinion_names_the_next_organ_and_unit_art_35(gm01, client_as):
    case = replied(by=gm01)
    page = html(client_as("gm01").get(reverse("petitions:print", args=[case.pk, "opinion"])))
    assert "上一级机关、单位" in page
    assert "行政机关" not in page


# --- 第三十六条: the re-review hearing -----------------------------------------------------------

def test_hearing_days_do_not_count_toward_the_re_review_art_36(gm01, petition):
    case = replied(by=gm01)
    request_review(case, by=petition)
    with pytest.raises(TransitionNotAllowed):
        services.petition_hold_hearing(petition=case, by=petition,
                                       held_on=timezone.localdate(), place="镇政府",
                                       participants="信访人", record="陈述")
    answer_review(case, by=petition)
    re_review = request_review(case, by=petition, reviewing_body="平凉市人民政府")
    assert re_review.due_on == timezone.localdate() + 30 * DAY
    with pytest.raises(PermissionDenied):
        services.petition_hold_hearing(petition=case, by=gm01, held_on=timezone.localdate(),
                                       place="镇政府", participants="信访人", record="陈述")
    services.petition_hold_hearing(petition=case, by=petition, held_on=timezone.localdate(),
                                   days=4, place="平凉市信访局听证室",
                                   participants="信访人、镇政府、村委会", record="各方陈述。")
    re_review.refresh_from_db()
    assert re_review.due_on == timezone.localdate() + 34 * DAY
    assert re_review.hearings.get().place == "平凉市信访局听证室"
    assert case.events.order_by("-id").first().action == "hearing"


# --- 第三十四条 through the page --------------------------------------------------------------

def test_page_refuses_an_extension_once_the_due_date_passed_art_34(client_as, gm01, travel):
    case = accept(make_petition(by=gm01), by=gm01)
    travel(days=61)
    response = client_as("gm01").post(
        reverse("petitions:action", args=[case.pk, "request_extension"]),
        {"seen_state": "grid", "days": 30, "reason": "需核实"})
    assert response.status_code == 400
    assert "届满" in html(response)
    case.refresh_from_db()
    assert (case.extension_status, case.extension_days) == ("", 0)


def test_page_leaves_the_due_date_until_the_leadership_approves_art_34(client_as, gm01):
    case = request_extension(accept(make_petition(by=gm01), by=gm01), by=gm01, days=15)
    due = case.reply_due
    office = client_as("petition")
    assert "approve_extension" not in re.findall(r'data-testid="action-([a-z_]+)"',
                                                 html(office.get(case.get_absolute_url())))
    office.post(reverse("petitions:action", args=[case.pk, "approve_extension"]),
                {"seen_state": "grid"})
    case.refresh_from_db()
    assert (case.reply_due, case.extension_days) == (due, 0)
    leader = client_as("leader")
    page = html(leader.get(case.get_absolute_url()))
    assert 'data-testid="action-approve_extension"' in page
    response = leader.post(reverse("petitions:action", args=[case.pk, "approve_extension"]),
                           {"seen_state": "grid", "note": "同意"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.reply_due, case.extension_days, case.extension_status) == (
        due + 15 * DAY, 15, "approved")
    printed = html(leader.get(reverse("petitions:print", args=[case.pk, "extension"])))
    assert "延期办理告知书" in printed and case.query_code in printed


# --- The demo --------------------------------------------------------------------------------

def test_the_demo_holds_the_2022_rules_at_work():
    """An approved extension (第三十四条), a transferred accusation (第二十二条), a delivered reply
    (第三十五条) and an evaluation (第二十一条), beside its other eleven petitions' numbers."""
    town = demo_small_grid().large_grid.town
    demo = Petition.objects.filter(town=town, created_by__username__in=["gm01", "petition"])
    extended = demo.get(extension_status="approved")
    assert (extended.extension_days, extended.extension_approver) == (
        30, staff_of(extended.events.get(action="approve_extension").actor))
    assert extended.events.get(action="request_extension").actor.username == "petition"
    transferred = demo.get(state="transferred")
    assert (transferred.kind, transferred.discipline_organ) == ("accusation", "崇信县纪委监委")
    assert demo.filter(delivered_on__isnull=False, replied_on__isnull=False).count() == 2
    evaluated = demo.get(evaluation__gt="")
    assert evaluated.evaluation == "dissatisfied" and evaluated.national_number
    assert not demo.filter(accepted_on__isnull=False, query_code__isnull=True).exists()
