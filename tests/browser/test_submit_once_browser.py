"""On a phone with a slow connection: a double tap on 提交登记 makes one case, and a large
photo goes up with a progress bar and lands on the case page.

Reuses the browser fixtures of ``test_login_browser``.
"""

import re
import time
from urllib.parse import urlsplit

import pytest

from disputes.models import Attachment, Dispute
from tests.browser.test_login_browser import (  # noqa: F401 - fixtures
    blank_phone,
    browser,
    log_in,
    phone,
)
from tests.conftest import requires_chromium

pytestmark = [requires_chromium, pytest.mark.browser]

TITLE = "孙某与李某排水沟纠纷"


@pytest.fixture
def slow_intake(monkeypatch):
    """The server takes a second to log a case, as on a weak village connection."""
    from disputes import services

    original = services.dispute_create

    def slow(**kwargs):
        time.sleep(1)
        return original(**kwargs)

    monkeypatch.setattr(services, "dispute_create", slow)


def test_a_double_tap_on_submit_makes_one_case(phone, slow_intake):  # noqa: F811
    log_in(phone, "gm01")
    phone.goto("/disputes/new/")
    phone.fill("#id_title", TITLE)
    phone.select_option("#id_category", label="邻里")
    phone.fill("#id_description", "李某堵塞排水沟，雨水倒灌孙某院内。")
    phone.fill("#id_parties-0-name", "孙德胜")
    posts = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    button = phone.locator("[data-testid=dispute-form] button[type=submit]")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    started = time.monotonic()
    phone.mouse.click(x, y)
    phone.wait_for_timeout(300)
    phone.mouse.click(x, y)  # the impatient second tap, while the first is still on its way
    phone.wait_for_url(re.compile(r"/disputes/\d+/$"), timeout=15000)
    assert time.monotonic() - started > 1, "the second tap came while the first was in flight"
    assert [urlsplit(u).path for u in posts] == ["/disputes/new/"]
    assert Dispute.objects.filter(title=TITLE).count() == 1
    assert "已登记纠纷" in phone.locator(".messages").inner_text()

    # Back to the form and submit it again: the same form, the same case.
    case_url = phone.url
    phone.go_back()
    phone.wait_for_load_state()
    assert urlsplit(phone.url).path == "/disputes/new/"
    for field, value in (("#id_title", TITLE), ("#id_description", "再次提交。"),
                         ("#id_parties-0-name", "孙德胜")):
        if not phone.locator(field).input_value():
            phone.fill(field, value)  # in case this browser did not keep what was typed
    phone.get_by_role("button", name="提交登记").click()
    phone.wait_for_url(re.compile(r"/disputes/\d+/$"), timeout=15000)
    assert phone.url == case_url
    assert "已经提交过" in phone.locator(".messages").inner_text()
    assert Dispute.objects.filter(title=TITLE).count() == 1


def test_a_large_photo_uploads_with_a_progress_bar(phone, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    log_in(phone, "gm01")
    phone.goto("/disputes/new/")
    phone.fill("#id_title", TITLE)
    phone.select_option("#id_category", label="邻里")
    phone.fill("#id_description", "现场照片较大。")
    phone.fill("#id_parties-0-name", "孙德胜")
    phone.get_by_role("button", name="提交登记").click()
    phone.wait_for_url(re.compile(r"/disputes/\d+/$"))
    dispute = Dispute.objects.get(title=TITLE)

    photo = tmp_path / "现场.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024))
    phone.set_input_files("input[name=files]", str(photo))
    # Watch for the bar: it may come and go quickly on the test's own machine.
    phone.evaluate("""() => { window.__sawProgress = false;
        new MutationObserver(() => { if (document.querySelector('[data-testid=upload-progress]'))
          window.__sawProgress = true; }).observe(document.body, {childList: true, subtree: true}); }""")
    phone.get_by_role("button", name="上传附件").click()
    phone.get_by_text("附件已上传").wait_for(timeout=15000)
    assert urlsplit(phone.url).path == f"/disputes/{dispute.pk}/"
    assert Attachment.objects.filter(dispute=dispute).count() == 1
    # Set by the observer before the answer replaced the page (no navigation: the same window).
    assert phone.evaluate("() => window.__sawProgress") is True
