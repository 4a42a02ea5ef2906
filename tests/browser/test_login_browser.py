"""In a real browser on a phone: gm01 logs in, sees its own small grid, sees
nothing of large grid 2, and switches the language; the API docs make no request off-site.

Playwright drives Debian's Chromium (never a downloaded browser) against the live server.
"""

import os
from urllib.parse import urlsplit

import pytest

from tests.browser.shell import open_menu
from tests.conftest import CHROMIUM, requires_chromium

pytestmark = [requires_chromium, pytest.mark.browser]

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True,
         # Many township phones are set to English; the product still opens in Chinese.
         "locale": "en-US"}
SCREENSHOT = "/tmp/gm01-home.png"


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls
    # from it unless told that this is safe (it is: nothing here is actually async).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def blank_phone(browser, live_server):
    """A phone-sized page on the live server (whose database may be empty)."""
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(demo_committed, blank_phone):
    """A phone-sized page on the live server with the demo town."""
    return blank_phone


def log_in(page, username, password="demo12345"):
    page.goto("/")
    assert urlsplit(page.url).path == "/accounts/login/"
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_grid_member_on_a_phone_logs_in_sees_own_grid_only_and_switches_language(phone):
    """One journey, so that the demo town is committed once for the whole of it."""
    # A wrong password: the Chinese error, the username kept.
    log_in(phone, "gm01", password="wrong")
    assert urlsplit(phone.url).path == "/accounts/login/"
    assert "用户名或密码不正确" in phone.get_by_test_id("login-error").inner_text()
    assert phone.input_value("#id_username") == "gm01"

    # The right one: home, in Chinese although the phone is set to English.
    log_in(phone, "gm01")
    assert urlsplit(phone.url).path == "/"
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    my_grid = phone.get_by_test_id("my-small-grid")
    assert my_grid.count() == 1
    assert "黄寨村第1网格" in my_grid.inner_text()
    assert phone.get_by_test_id("role").all_inner_texts() == ["网格员"]
    # Nothing overflows the phone's width.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=SCREENSHOT, full_page=True)

    # The organisation pages: the town, then the village. Nothing of 马寨村 (large grid 2).
    phone.goto("/org/")
    assert "黄寨镇" in phone.locator("h1").inner_text()
    assert "马寨" not in phone.content()
    assert phone.get_by_test_id("large-grid-row").count() == 1
    phone.get_by_test_id("large-grid-row").get_by_role("link").click()
    phone.wait_for_load_state()
    assert "黄寨村" in phone.locator("h1").inner_text()
    assert "马寨" not in phone.content()

    # The language switch in the header.
    open_menu(phone)
    with phone.expect_navigation():
        phone.select_option("#language-select", "en")
    assert phone.locator("html").get_attribute("lang") == "en"
    # The switch stays on the page it was used on.
    assert urlsplit(phone.url).path.startswith("/org/large-grids/")
    phone.goto("/")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert "黄寨村第1网格" in phone.get_by_test_id("my-small-grid").inner_text()
    open_menu(phone)
    with phone.expect_navigation():
        phone.select_option("#language-select", "zh-hans")
    assert phone.locator("html").get_attribute("lang") == "zh-hans"


# ReDoc's bundle would fetch a "Redocly" logo from its CDN; the page's Content-Security-Policy
# keeps images on this site, so no request at all may leave it.
TOLERATED_OFFSITE: dict[str, set[str]] = {}


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_api_docs_work_offline(blank_phone, live_server, path):
    phone = blank_phone
    own = urlsplit(live_server.url).netloc
    offsite = []

    def only_this_site(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort()

    phone.route("**/*", only_this_site)
    phone.goto(path)
    phone.wait_for_load_state("networkidle")
    # The schema was fetched and rendered.
    assert "/api/v1/towns/{id}/summary/" in phone.content()
    assert set(offsite) <= TOLERATED_OFFSITE.get(path, set())
