"""Daily use of the dispute pages: the probable duplicate at intake, the formset's message,
the agreement's particulars, and the page chrome (bottom bar, badges, 404, console mail)."""

import datetime
import io

import pytest
from django.core import mail
from django.test import override_settings

from disputes.models import Dispute
from disputes.selectors import dispute_probable_duplicates
from disputes.views import party_particulars
from tests.disputes.factories import demo_small_grid, make_dispute, party

pytestmark = pytest.mark.django_db


def test_same_party_name_or_phone_in_the_same_small_grid_within_30_days_is_a_probable_duplicate(
        gm01, gl01):
    first = make_dispute(by=gm01, parties=[party(name="赵铁柱", phone="13812345678")])
    by_name = make_dispute(by=gm01, parties=[party(name="赵铁柱", phone="")])
    by_phone = make_dispute(by=gm01, parties=[party(name="赵大嫂", phone="13812345678")])
    other = make_dispute(by=gm01, parties=[party(name="钱多多", phone="13700000000")])
    assert [d.pk for d in dispute_probable_duplicates(user=gl01, dispute=by_name)] == [first.pk]
    # The phone matches through its search hash (phones are encrypted at rest).
    assert first in dispute_probable_duplicates(user=gl01, dispute=by_phone)
    assert dispute_probable_duplicates(user=gl01, dispute=other) == []
    # Forty days apart: not a duplicate.
    Dispute.objects.filter(pk=first.pk).update(
        found_at=by_name.found_at - datetime.timedelta(days=40))
    first.refresh_from_db()
    assert first not in dispute_probable_duplicates(user=gl01, dispute=by_name)


def test_the_same_party_in_another_small_grid_is_no_duplicate(gm01, gl01):
    make_dispute(by=gm01, parties=[party(name="孙悟能")])
    elsewhere = make_dispute(by=gl01, small_grid=demo_small_grid(1, 2),
                             parties=[party(name="孙悟能")])
    assert dispute_probable_duplicates(user=gl01, dispute=elsewhere) == []


def test_a_party_formset_without_a_party_names_what_is_missing():
    from disputes.forms import PartyFormSet

    parties = PartyFormSet({"parties-TOTAL_FORMS": "0", "parties-INITIAL_FORMS": "0",
                            "parties-MIN_NUM_FORMS": "1", "parties-MAX_NUM_FORMS": "50"},
                           prefix="parties")
    assert not parties.is_valid()
    assert parties.non_form_errors() == ["请至少填写一名当事人。"]


def test_agreement_particulars_leave_no_empty_place_between_commas(gm01):
    dispute = make_dispute(by=gm01, parties=[party(name="吴一", gender="", ethnicity="汉族",
                                                    age=None, occupation="", address="",
                                                    phone="", id_number="")])
    text = party_particulars(dispute.parties.get())
    assert text == "吴一，汉族"
    assert "，，" not in party_particulars(make_dispute(by=gm01).parties.first())


def test_bottom_bar_holds_the_grid_members_three_daily_jobs(client_as):
    context = client_as("gm01").get("/").context
    assert [str(item["label"]) for item in context["MAIN_JOBS"]] == ["每日排查", "登记纠纷", "我的待办"]


def test_leaders_main_jobs_are_the_ledgers_and_reports_and_one_badge_per_role(client_as):
    response = client_as("leader").get("/")
    assert [str(i["label"]) for i in response.context["MAIN_JOBS"]] == [
        "纠纷台账", "督办台账", "三个一汇总"]
    badges = response.context["roles"]
    assert len(badges) == len(set(badges)) and "党委委员（包片）" in badges


@override_settings(DEBUG=True)
def test_a_missing_page_shows_the_projects_404_also_with_debug_on(client_as):
    client = client_as("gm01")
    for path in ("/no-such-page/", "/disputes/999999999/"):
        response = client.get(path)
        assert response.status_code == 404
        page = response.content.decode()
        assert "页面不存在，或不在您的管辖范围内。" in page, path
        assert "URLconf" not in page


def test_console_mail_is_one_line_per_message():
    from core.mail import OneLineConsoleBackend

    stream = io.StringIO()
    backend = OneLineConsoleBackend(stream=stream)
    backend.send_messages([mail.EmailMessage("督办件待您办理：黄寨督〔2026〕1号", "正文\n很长",
                                             to=["gl01@example.org"])])
    assert stream.getvalue() == "mail → gl01@example.org: 督办件待您办理：黄寨督〔2026〕1号\n"
