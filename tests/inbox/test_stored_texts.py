"""What the system writes (notification titles and bodies, deadline alerts, history notes) reads
in the reader's language, whichever language the writer had: the inbox page, the e-mail, the
case page and the API; the plain columns stay Chinese; what a user typed stays as typed."""

import ast
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from disputes import services as dispute_services
from disputes.services.ladder import ROUTES_NOTICE
from disputes.states import DisputeState
from inbox.channels import email_send
from inbox.models import Notification
from inbox.notifications import notify
from supervision import services as supervision_services
from tests.disputes.factories import escalate_to, make_dispute, staff_of

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def chinese_afterwards():
    """A page read in English leaves English active in this thread; the next test starts in
    Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def in_english(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def handover_to(med01, gm01, *, language):
    """gm01 escalates a new case to med01, in ``language``: med01's hand-over message."""
    with translation.override(language):
        dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    return dispute, Notification.objects.get(recipient=med01, url=dispute.get_absolute_url())


def test_a_message_written_in_chinese_reads_in_english_in_the_inbox(client_as, gm01, med01):
    dispute, note = handover_to(med01, gm01, language="zh-hans")
    assert note.title == f"纠纷转至您处理：{dispute.number}"
    assert note.title_text == {"msgid": "纠纷转至您处理：%(number)s",
                               "params": {"number": dispute.number}}
    page = english(client_as("med01")).get("/inbox/").content.decode()
    assert f"Dispute passed to you for handling: {dispute.number}" in page
    # The body: the new state's label and what gm01 typed, as typed.
    assert f"{in_english('调解员调解')} · 当面劝解未果，提请上一级调解。" in page
    assert "纠纷转至您处理" not in page


def test_a_message_written_in_english_reads_in_chinese_and_is_stored_in_chinese(
        client_as, gm01, med01):
    dispute, note = handover_to(med01, gm01, language="en")
    assert note.title == f"纠纷转至您处理：{dispute.number}"
    assert note.body == "调解员调解 · 当面劝解未果，提请上一级调解。"
    page = client_as("med01").get("/inbox/").content.decode()
    assert f"纠纷转至您处理：{dispute.number}" in page
    assert "Dispute passed to you" not in page


def test_a_message_typed_by_a_user_and_an_old_row_show_as_stored(client_as, med01):
    notify(recipients=[med01], title="请明早到村委会", body="带上卷宗")
    Notification.objects.create(recipient=med01, title="旧的通知", body="旧的内容")
    assert Notification.objects.filter(recipient=med01, title_text__isnull=True).count() == 2
    page = english(client_as("med01")).get("/inbox/").content.decode()
    assert "请明早到村委会" in page and "带上卷宗" in page and "旧的通知" in page


def test_the_email_is_in_the_recipients_language_chinese_without_a_preference(gm01, med01):
    med01.email = "med01@example.org"
    med01.save(update_fields=["email"])
    dispute, note = handover_to(med01, gm01, language="en")
    with translation.override("en"):  # the worker's language does not matter
        email_send(note)
    assert mail.outbox[-1].subject == f"纠纷转至您处理：{dispute.number}"
    note.recipient.language = "en"  # a user model that keeps a language
    with translation.override("zh-hans"):
        email_send(note)
    assert mail.outbox[-1].subject == f"Dispute passed to you for handling: {dispute.number}"


def test_a_deadline_alert_reads_in_the_readers_language(client_as, gm01):
    with translation.override("zh-hans"):
        dispute = make_dispute(by=gm01)
        supervision_services.deadline_alerts_sweep(
            now=dispute.tier_due_at - datetime.timedelta(days=2))
    note = Notification.objects.get(recipient=gm01, url=dispute.get_absolute_url(),
                                    title__startswith="3天内到期：")
    assert note.title == f"3天内到期：{dispute.number} 网格员调解"
    with translation.override("en"):
        label = str(DisputeState.GRID_MEMBER.label)
        assert note.title_display == f"Due within 3 days: {dispute.number} {label}"
        assert note.body_display.startswith("Deadline: ")
    page = english(client_as("gm01")).get("/inbox/").content.decode()
    assert f"Due within 3 days: {dispute.number} {label}" in page


def test_the_ladders_routes_notice_reads_in_english_in_the_case_history(
        client_as, api_as, gm01, chair):
    with translation.override("zh-hans"):
        dispute = escalate_to(make_dispute(by=gm01), "chair")
        dispute_services.dispute_refer(dispute=dispute, by=chair, target="court",
                                       note="调解不成。")
    event = dispute.events.order_by("-id").first()
    assert event.note == f"调解不成。\n{ROUTES_NOTICE}"
    notice = in_english(ROUTES_NOTICE)
    assert notice != ROUTES_NOTICE
    page = english(client_as("chair")).get(dispute.get_absolute_url()).content.decode()
    assert f"调解不成。<br>{notice}" in page
    assert ROUTES_NOTICE not in page
    history = english(api_as("chair")).get(f"/api/v1/disputes/{dispute.pk}/history/").json()
    assert history[-1]["note"] == f"调解不成。\n{notice}"
    history = api_as("chair").get(f"/api/v1/disputes/{dispute.pk}/history/").json()
    assert history[-1]["note"] == f"调解不成。\n{ROUTES_NOTICE}"


def test_the_main_flows_store_their_messages_as_stored_texts(gm01, med01, chair):
    """Every message the ladder, intake and the alerts wrote is a stored text."""
    dispute = escalate_to(make_dispute(by=gm01), "chair", mediator=staff_of(med01))
    supervision_services.deadline_alerts_sweep(now=dispute.tier_due_at)
    rows = Notification.objects.filter(url=dispute.get_absolute_url())
    assert rows.count() >= 3
    assert not rows.filter(title_text__isnull=True).exists()
    assert not dispute.events.filter(action="create", note_text__isnull=True).exists()


# --- No caller translates eagerly -----------------------------------------------------------

def _eager(node) -> bool:
    """``_("…") % {...}``, ``_("…")``, ``gettext(...)`` or an f-string with a label or a
    translated part in it: text fixed in the writer's language."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _eager(node.left) or isinstance(node.left, ast.Name)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in {"_", "gettext", "str"}
    if isinstance(node, ast.JoinedStr):
        return any(_translated(v) for v in ast.walk(node))
    if isinstance(node, ast.Lambda):
        return _eager(node.body)
    if isinstance(node, ast.IfExp | ast.BoolOp):
        parts = [node.body, node.orelse] if isinstance(node, ast.IfExp) else node.values
        return any(_eager(p) for p in parts)
    return False


def _translated(node) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in {"_", "gettext"}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr.startswith("get_") and node.func.attr.endswith("_display")
    return isinstance(node, ast.Attribute) and node.attr == "label"


def eager_texts() -> list[str]:
    """The notify()/Message() titles and bodies and the history notes (``note=`` of
    run_transition, record_event and the event rows) that the code translates eagerly."""
    found = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {".venv", "tests"} or "migrations" in rel.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            wanted = {"notify": {"title", "body"}, "Message": {"title", "body"},
                      "run_transition": {"note", "notify_title"}, "_run": {"note"},
                      "record_event": {"note"}, "create": {"note"}}.get(name, set())
            for kw in node.keywords:
                if kw.arg in wanted and _eager(kw.value):
                    found.append(f"{rel}:{kw.value.lineno} {name}({kw.arg}=…)")
    return found


def test_no_caller_stores_a_text_translated_in_the_writers_language():
    assert eager_texts() == []


def test_the_eager_check_finds_an_eager_title():
    for source in ['notify(recipients=[], title=_("甲：%(n)s") % {"n": 1})',
                   'record_event(x, by=y, action="a", note=f"{X(v).label} {note}")',
                   'notify(recipients=[], title="", body=_("乙"))']:
        call = ast.parse(source).body[0].value
        assert any(_eager(kw.value) for kw in call.keywords), source
    call = ast.parse('notify(recipients=[], title=stored(gettext_noop("甲")), body=note)')
    assert not any(_eager(kw.value) for kw in call.body[0].value.keywords)


def test_a_petitions_history_and_proxy_read_in_english(client_as, gm01):
    """The petition's registration note and the proxy's end reason, written in English by
    gm01, are Chinese in the rows and English on the page for an English reader."""
    from petitions import services as petition_services
    from tests.petitions.factories import make_petition

    with translation.override("en"):
        petition = make_petition(by=gm01)
        petition_services.petition_withdraw(petition=petition, by=gm01, reason="双方已私下协商解决")
    assert petition.proxies.get().end_reason == "信访人撤回"
    assert petition.events.get(action="create").note == "登记信访事项"
    page = english(client_as("gm01")).get(petition.get_absolute_url()).content.decode()
    assert "（Withdrawn by the petitioner）" in page
    assert "Petition registered" in page and "登记信访事项" not in page
