"""Importing a town's own ledger in a real browser: the governance office uploads last year's
register, chooses the sheet, checks the columns and the preview, confirms; the cases are in
the ledger and last year's figures in the monthly analysis."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from cadence.figures import add_months, month_start
from cadence.services import monthly_sweep
from grid.models import Town
from tests.browser.test_cadence_browser import desktop, keep_on_site  # noqa: F401
from tests.browser.test_login_browser import browser, log_in  # noqa: F401
from tests.conftest import requires_chromium
from tests.imports import workbooks as wbs

pytestmark = [requires_chromium, pytest.mark.browser]
SHOT = "/tmp/imports-office-preview.png"


def test_office_imports_last_years_ledger_and_sees_it_in_ledger_and_analysis(
        desktop, live_server, tmp_path):  # noqa: F811
    page = desktop
    offsite = keep_on_site(page, live_server)
    town = Town.objects.get(name="黄寨镇")
    analysed = add_months(month_start(timezone.localdate()), -1)
    year_ago = add_months(analysed, -12)
    before = monthly_sweep(town=town).figures["same_month_last_year"]
    day = year_ago + datetime.timedelta(days=2)
    rows = [
        [1, f"黄寨人调〔{day.year}〕901号", day, "黄寨村第1网格", "导入甲、导入乙", "", "邻里",
         "排水沟", "蓝", "", "", "已化解", day, ""],
        [2, f"黄寨人调〔{day.year}〕902号", day, "马寨村", "导入丙", "", "合同", "欠款", "黄", "",
         "", "移交法院", day, ""],
    ]
    path = tmp_path / "去年台账.xlsx"
    path.write_bytes(wbs.ledger_like_export(rows, year=day.year))

    log_in(page, "office")
    page.get_by_role("link", name="导入台账").first.click()
    page.wait_for_load_state()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    page.get_by_label("台账").check()
    page.get_by_role("button", name="下一步：核对列").click()
    page.wait_for_load_state()
    assert page.locator("#col2 option:checked").inner_text() == "发现 / 登记日期 *"
    page.get_by_role("button", name="下一步：预览").click()
    page.wait_for_load_state()
    assert "共2行：新增2行" in page.get_by_test_id("import-check").inner_text()
    preview = page.get_by_test_id("import-preview").inner_text()
    assert f"黄寨人调〔{day.year}〕901号" in preview and "已结案" in preview
    page.screenshot(path=SHOT, full_page=True)
    page.get_by_role("button", name="确认导入（新增2行）").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("import-state").inner_text() == "已导入"

    page.goto(f"/disputes/?q={day.year}〕90")
    ledger = page.locator("table").first.inner_text()
    assert f"黄寨人调〔{day.year}〕901号" in ledger and f"黄寨人调〔{day.year}〕902号" in ledger
    assert "导入甲" not in ledger  # parties masked (or left out) in lists, as usual

    analysis = monthly_sweep(town=town)  # the 1st's sweep, run again after the import
    after = analysis.figures["same_month_last_year"]
    assert (after["new"], after["referred"]) == (before["new"] + 2, before["referred"] + 1)
    page.goto(analysis.get_absolute_url())
    cells = page.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells[0] == "新增纠纷" and cells[3] == str(after["new"])
    assert urlsplit(page.url).path == analysis.get_absolute_url()
    assert offsite == []
