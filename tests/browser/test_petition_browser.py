"""In a real browser on a phone: gm01 registers a petition as proxy, accepts it
and takes it to the town; gl01, the grid leader who coordinates at town level, finds it among
"我的代办信访", sees only what the town level may do (the county waits for the coordinator the
petition office names) and answers it with the handling opinion.

Playwright drives Debian's Chromium (never a downloaded browser) against the live server.
Screenshots of the key steps go to /tmp/petition-*.png.
"""

import re
from urllib.parse import urlsplit

import pytest

from grid.models import Staff
from tests.browser.test_login_browser import PHONE, browser, log_in  # noqa: F401 (fixture)
from tests.conftest import requires_chromium

pytestmark = [requires_chromium, pytest.mark.browser]

SUBJECT = "要求疏通承包地灌溉渠"
DETAIL_PATH = re.compile(r"^/petitions/(\d+)/$")


@pytest.fixture
def new_phone(browser, live_server, demo_committed):  # noqa: F811 (the imported fixture)
    """``new_phone()``: a fresh phone-sized page on the live server (one login each)."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, **PHONE)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def run_action(page, name, fields=None, selects=None):
    """Open the action's panel on the detail page, fill it in and confirm."""
    panel = page.get_by_test_id(f"action-{name}")
    panel.locator("summary").click()
    for field, value in (fields or {}).items():
        panel.locator(f"[name={field}]").fill(value)
    for field, value in (selects or {}).items():
        panel.locator(f"select[name={field}]").select_option(value)
    with page.expect_navigation():
        panel.locator("button[type=submit]").click()


def state_of(page) -> str:
    return page.get_by_test_id("state").inner_text()


def test_grid_member_registers_as_proxy_and_the_grid_leader_answers_at_town_level(new_phone):
    grid_member = Staff.objects.get(user__username="gm01").name
    grid_leader = Staff.objects.get(user__username="gl01").name

    # --- gm01, on a phone: register the petition as proxy ---------------------------------------
    gm = new_phone()
    log_in(gm, "gm01")
    gm.goto("/petitions/new/")
    assert gm.locator("h1").inner_text() == "登记信访事项"
    # gm01 covers one small grid: it is chosen already.
    assert gm.locator("#id_small_grid option:checked").inner_text().endswith("黄寨村第1网格")
    gm.select_option("#id_form", "visit")
    gm.select_option("#id_kind", "claim")
    gm.fill("#id_subject", SUBJECT)
    gm.fill("#id_content", "灌溉渠被上游堵塞，三户承包地无法春灌。")
    gm.fill("#id_petitioners-0-name", "王建设")
    gm.select_option("#id_petitioners-0-gender", "male")
    gm.fill("#id_petitioners-0-phone", "13812345678")
    assert gm.evaluate("document.documentElement.scrollWidth") <= 390, "fits the phone"
    gm.screenshot(path="/tmp/petition-1-register.png", full_page=True)
    with gm.expect_navigation():
        gm.get_by_role("button", name="提交登记").click()

    match = DETAIL_PATH.match(urlsplit(gm.url).path)
    assert match, gm.url
    number = re.search(r"黄寨信〔\d{4}〕\d+号", gm.locator("hgroup").inner_text())[0]
    assert f"已登记信访事项 {number}。" in gm.locator(".messages").inner_text()
    assert state_of(gm) == "已登记"
    assert gm.get_by_test_id("handler").inner_text() == grid_member, "gm01 is the proxy"
    assert gm.get_by_test_id("petitioner").inner_text().startswith("王建设")

    # --- accept, then take it to the town -----------------------------------------------------
    run_action(gm, "accept")
    assert state_of(gm) == "网格代办"
    assert "已完成：受理。" in gm.locator(".messages").inner_text()
    run_action(gm, "escalate", {"note": "涉及上游村组，网格内协调未果，提请镇级协调。"})
    assert state_of(gm) == "镇级协调"
    assert gm.get_by_test_id("handler").inner_text() == grid_leader
    offered = [t.get_attribute("data-testid")
               for t in gm.get_by_test_id("actions").locator("details").all()]
    assert offered == ["action-recuse"], "the grid member's part is done but for a recusal"
    gm.screenshot(path="/tmp/petition-2-town.png", full_page=True)

    # --- gl01: finds it on their desk, answers it ----------------------------------------------
    gl = new_phone()
    log_in(gl, "gl01")
    # Not one of a grid leader's main jobs on the bottom bar: in the menu.
    gl.get_by_test_id("menu-toggle").click()
    gl.get_by_test_id("site-menu").get_by_role("link", name="我的代办信访").click()
    gl.wait_for_load_state()
    item = gl.get_by_test_id("petition-item").filter(has_text=number)
    assert "镇级协调" in item.inner_text()
    with gl.expect_navigation():
        item.get_by_role("link", name=number).click()
    assert urlsplit(gl.url).path == urlsplit(gm.url).path
    offered = [t.get_attribute("data-testid")
               for t in gl.get_by_test_id("actions").locator("details").all()]
    # The county needs the coordinator that only the petition office or leadership names.
    assert offered == ["action-reply", "action-withdraw", "action-request_extension",
                       "action-dock", "action-recuse"]
    timeline = gl.get_by_test_id("timeline").inner_text()
    assert "涉及上游村组" in timeline

    # --- 信访工作条例 第三十四条: gl01 asks for an extension, the town leadership approves ----------
    due = gl.get_by_test_id("reply-due").inner_text()
    run_action(gl, "request_extension", {"days": "20", "reason": "需调取上游村组用水协议"})
    assert gl.get_by_test_id("extension-pending").count() == 1
    assert gl.get_by_role("button", name="打印延期告知书").count() == 0, "not yet approved"
    leader = new_phone()
    log_in(leader, "leader")
    leader.goto(urlsplit(gm.url).path)
    run_action(leader, "approve_extension", {"note": "同意延期20日"})
    assert "已批准" in leader.get_by_test_id("extension-status").inner_text()
    assert leader.get_by_role("button", name="打印延期告知书").count() == 1
    gl.reload()
    assert gl.get_by_test_id("extension-pending").count() == 0
    assert "批准延期 20 日" in gl.get_by_test_id("reply-due").inner_text()
    assert not gl.get_by_test_id("reply-due").inner_text().startswith(due)

    run_action(gl, "reply", {
        "facts": "经现场查看，灌溉渠确被上游村组堵塞。",
        "decision": "协调上游村组三日内疏通灌溉渠。",
        "basis": "《中华人民共和国农业法》",
    }, {"result": "support", "category": "solved"})
    assert state_of(gl) == "已答复"
    assert "协调上游村组三日内疏通灌溉渠。" in gl.locator("body").inner_text()
    assert gl.get_by_role("button", name="打印处理意见书").count() == 1
    assert gl.get_by_test_id("undelivered").count() == 1
    gl.screenshot(path="/tmp/petition-3-replied.png", full_page=True)

    # --- 第三十五条 and 第二十一条: the reply delivered, the petitioner's evaluation -----------------
    run_action(gl, "deliver", selects={"method": "in_person"})
    assert gl.get_by_test_id("undelivered").count() == 0
    assert "当面送达" in gl.get_by_test_id("delivery").inner_text()
    panel = gl.get_by_test_id("action-evaluate")
    panel.locator("summary").click()
    panel.locator("input[name=evaluation][value=satisfied]").check()
    panel.locator("[name=comment]").fill("灌溉渠已疏通")
    with gl.expect_navigation():
        panel.locator("button[type=submit]").click()
    assert gl.get_by_test_id("evaluation").inner_text().startswith("满意：灌溉渠已疏通")
