"""The phone shell in the browser tests: on a small screen the header's links, the language
switch and 退出 sit in the menu that 菜单 opens (README, "What it does": daily use)."""


def open_menu(page) -> None:
    """Open the folded menu if this screen folds it; nothing on a wide screen."""
    toggle = page.get_by_test_id("menu-toggle")
    if toggle.is_visible() and not page.get_by_test_id("site-menu").is_visible():
        toggle.click()
        page.get_by_test_id("site-menu").wait_for(state="visible")
