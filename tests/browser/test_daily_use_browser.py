"""Daily use in a real browser: the staff picker, the phone's bottom bar, the probable
duplicate at intake, the English pages (a crawl), and the petition ledger printed to PDF.

Playwright drives Debian's Chromium against the live server; the browser and the log-in come
from tests/browser/test_login_browser.py.
"""

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from disputes.models import Dispute
from grid.models import Staff
from petitions.models import Petition
from supervision.models import SupervisionNotice
from tests.browser.test_login_browser import PHONE, browser, log_in  # noqa: F401 - fixture
from tests.conftest import requires_chromium

pytestmark = [requires_chromium, pytest.mark.browser]

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}


@pytest.fixture
def open_as(browser, live_server, demo_committed):  # noqa: F811 - the imported fixture
    """``open_as("gm01", PHONE)``: a fresh context on the live server, logged in."""
    contexts = []

    def make(username, device=DESKTOP):
        context = browser.new_context(base_url=live_server.url, **device)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        log_in(page, username)
        assert urlsplit(page.url).path == "/", f"{username} did not log in"
        return page

    yield make
    for context in contexts:
        context.close()


def test_leader_chooses_a_leader_in_charge_by_typing_two_characters(open_as):
    leader = open_as("leader")
    leader.goto("/supervision/new/")
    form = leader.get_by_test_id("notice-form")
    # The groups of checkboxes are fieldsets with their legend above them.
    legend = form.get_by_test_id("fieldset-target_large_grids").locator("legend")
    assert legend.inner_text().startswith("责任村（大网格）")
    form.locator("#id_kind").select_option("supervision")
    form.locator("#id_title").fill("马寨村灌溉用水纠纷督办")
    form.locator("#id_situation").fill("上下游两组因轮灌顺序争执。")
    form.get_by_label("第2大网格（马寨村）", exact=True).check()
    form.locator("#id_measures").fill("包村领导牵头，三日内组织协商。")

    picker = form.locator("#id_leader_in_charge_search")
    # A grid member is not offered as the leader in charge, whatever is typed.
    gm01 = Staff.objects.get(user__username="gm01").name
    picker.fill(gm01[:2])
    options = form.locator("#id_leader_in_charge").locator("..").get_by_role("option")
    assert gm01 not in " ".join(options.all_inner_texts())
    # Two characters of the 包村 leader of 马寨村 find him, with his role and village.
    wanted = Staff.objects.filter(assignments__role="section_leader",
                                  assignments__large_grid__number=2).distinct().get()
    picker.fill(wanted.name[:2])
    offered = options.all_inner_texts()
    assert offered and all(wanted.name[:2] in text for text in offered)
    choice = options.filter(has_text=wanted.name)
    assert "科级领导（包村）" in choice.inner_text() and "马寨村" in choice.inner_text()
    choice.click()
    assert form.locator("#id_leader_in_charge").input_value() == str(wanted.pk)
    assert picker.input_value().startswith(wanted.name)

    # The responsible person's list follows the village chosen: 马寨村's people only.
    responsible = form.locator("#id_responsible_search")
    responsible.click()
    listed = form.locator("#id_responsible").locator("..").get_by_role("option").all_inner_texts()
    assert listed and all("马寨村" in text for text in listed), listed
    gl02 = Staff.objects.get(user__username="gl02").name
    responsible.fill(gl02[:2])
    form.locator("#id_responsible").locator("..").get_by_role("option").filter(
        has_text=gl02).first.click()
    leader.screenshot(path="/tmp/picker-leader-in-charge.png", full_page=True)
    with leader.expect_navigation():
        form.locator("button[type=submit]").click()
    notice = SupervisionNotice.objects.get(title="马寨村灌溉用水纠纷督办")
    assert (notice.leader_in_charge_id, notice.responsible.name) == (wanted.pk, gl02)


def test_bottom_bar_on_a_390_px_phone(open_as):
    phone = open_as("gm01", PHONE)
    bar = phone.get_by_test_id("bottom-bar")
    assert bar.is_visible()
    # The grid member's three daily jobs, then the inbox and the menu.
    assert phone.get_by_test_id("main-job").all_inner_texts() == ["每日排查", "登记纠纷", "我的待办"]
    assert bar.get_by_test_id("bottom-inbox").is_visible()
    box = bar.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(844, abs=1)  # at the bottom
    for target in bar.locator("a").all():
        size = target.bounding_box()
        assert size["height"] >= 44 and size["width"] >= 44, target.inner_text()
    # The header's wall of links is folded away until 菜单 opens it.
    menu = phone.get_by_test_id("site-menu")
    assert not menu.is_visible()
    phone.get_by_test_id("menu-toggle").click()
    assert menu.is_visible()
    link = menu.get_by_role("link", name="纠纷台账")
    assert link.bounding_box()["height"] >= 44
    phone.screenshot(path="/tmp/bottom-bar-gm01.png")
    with phone.expect_navigation():
        link.click()
    assert urlsplit(phone.url).path == "/disputes/"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # The main job of the page shown is marked.
    with phone.expect_navigation():
        phone.get_by_test_id("main-job").filter(has_text="登记纠纷").click()
    assert phone.get_by_test_id("main-job").filter(
        has_text="登记纠纷").get_attribute("aria-current") == "page"


def test_a_probable_duplicate_is_warned_and_linked_not_refused(open_as):
    earlier = (Dispute.objects.filter(small_grid__large_grid__number=1, small_grid__number=1)
               .exclude(state="voided").order_by("-found_at").first())
    party = earlier.parties.order_by("id").first()
    # Found a week ago: within 30 days of the new one.
    Dispute.objects.filter(pk=earlier.pk).update(found_at=timezone.now()
                                                 - timezone.timedelta(days=7))
    phone = open_as("gm01", PHONE)
    phone.goto("/disputes/new/")
    form = phone.get_by_test_id("dispute-form")
    form.locator("#id_title").fill("同一当事人再次反映")
    form.locator("#id_category").select_option(index=1)
    form.locator("#id_description").fill("与前次反映的同一事项。")
    form.locator("#id_parties-0-name").fill(party.name)
    with phone.expect_navigation():
        form.locator("button[type=submit]").click()
    new = Dispute.objects.get(title="同一当事人再次反映")
    assert urlsplit(phone.url).path == new.get_absolute_url()  # registered, not refused
    warning = phone.get_by_test_id("probable-duplicates")
    assert warning.is_visible()
    phone.screenshot(path="/tmp/probable-duplicate.png", full_page=True)
    with phone.expect_navigation():
        warning.get_by_role("link", name=earlier.number).click()
    assert urlsplit(phone.url).path == earlier.get_absolute_url()


def test_a_missing_party_is_named_and_the_draft_survives_an_interruption(open_as):
    phone = open_as("gm01", PHONE)
    phone.goto("/disputes/new/")
    form = phone.get_by_test_id("dispute-form")
    form.locator("#id_title").fill("草稿中的纠纷")
    form.locator("#id_description").fill("打到一半被打断。")
    phone.goto("/")  # interrupted
    phone.goto("/disputes/new/")
    assert phone.get_by_test_id("draft-restored").is_visible()
    assert form.locator("#id_title").input_value() == "草稿中的纠纷"
    form.locator("#id_category").select_option(index=1)
    with phone.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "请至少填写一名当事人" in phone.get_by_role("alert").inner_text()


CJK = re.compile(r"[\u3400-\u9fff]+")
# Proper names that are no data: the language menu offers Chinese by its own name.
PROPER_NAMES = {"简体中文"}
SKIP = re.compile(r"(logout|export|\.xlsx|format=|/i18n/|/api/|/attachments?/|/media/|"
                  r"/personal-data|/action/|/read|/admin/logout|/delete/|/history/|/add/)")


def stored_text() -> str:
    """Every text the demo stores (names, places, titles, notes): data, which an English page
    shows as it was written. Figures kept as JSON are left out: their labels must be translated."""
    chunks = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField) and not f.choices]
        if fields:
            for row in model.objects.values_list(*fields):
                chunks += [value for value in row if isinstance(value, str) and value]
    return "\n".join(chunks)


def test_english_pages_show_no_chinese_but_data(open_as):
    page = open_as("leader")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    data = stored_text()
    start = ["/", f"/disputes/{Dispute.objects.filter(state='closed').first().pk}/",
             f"/petitions/{Petition.objects.first().pk}/", "/petitions/print/", "/disputes/print/",
             "/admin/", "/admin/core/personaldataaccess/"]
    agreement = Dispute.objects.filter(agreement__kind="written").first()
    if agreement:
        start.append(f"/disputes/{agreement.pk}/agreement/")
    queue, seen, problems = deque(start), set(start), {}
    visited = 0
    while queue and visited < 45:
        path = queue.popleft()
        response = page.goto(path)
        visited += 1
        assert response.status < 500, path
        if page.locator("html").get_attribute("lang") != "en":
            problems[path] = ["(not English)"]
            continue
        text = page.locator("body").inner_text()
        left = sorted({run for run in CJK.findall(text)
                       if run not in data and run not in PROPER_NAMES})
        if left:
            problems[path] = left
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = urlsplit(href)
            if target.netloc or not target.path.startswith("/") or SKIP.search(href):
                continue
            key = target.path + (f"?{target.query}" if target.query else "")
            if key not in seen and len(seen) < 200:
                seen.add(key)
                queue.append(key)
    assert visited >= 20
    assert not problems, problems


def test_petition_ledger_prints_to_pdf_within_the_page_width(open_as):
    # One long unbroken word: it wraps inside its column instead of widening the table.
    Petition.objects.filter(pk=Petition.objects.order_by("id").first().pk).update(
        subject="关于" + "Ｘ" * 100 + "的信访")
    page = open_as("leader")
    page.goto("/petitions/print/")
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    for width, height in boxes:
        # A4 landscape: 297 × 210 mm = 842 × 595 pt.
        assert float(width) == pytest.approx(841.89, abs=2)
        assert float(height) == pytest.approx(595.28, abs=2)
    # Laid out at the printable width (297 mm less 2 × 1 cm margins, at 96 px per inch), the
    # table fits: no column pushes it past the page's edge.
    printable = round((297 - 20) / 25.4 * 96)
    page.set_viewport_size({"width": printable, "height": 800})
    table = page.get_by_test_id("print-ledger")
    assert table.locator("thead th").count() == 16
    assert page.evaluate("document.documentElement.scrollWidth") <= printable
    assert table.bounding_box()["width"] <= printable
