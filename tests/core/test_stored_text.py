"""Stored texts (core.stored_text): a message id and its parameters, rendered in the active
language, never failing; the plain text kept beside them is Chinese whoever wrote it."""

import datetime
import json

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from core.stored_text import joined, render, render_source, split, stored
from disputes.services.ladder import ROUTES_NOTICE
from disputes.states import DisputeState

NEW_CASE = gettext_noop("新纠纷待您调解：%(number)s")


def test_a_stored_text_is_json_and_renders_in_the_active_language():
    value = stored(NEW_CASE, number="黄寨人调〔2026〕1号")
    assert json.loads(json.dumps(value)) == value
    with translation.override("en"):
        assert render(value) == "New dispute awaiting your mediation: 黄寨人调〔2026〕1号"
    with translation.override("zh-hans"):
        assert render(value) == "新纠纷待您调解：黄寨人调〔2026〕1号"


def test_a_lazy_label_parameter_is_kept_as_its_message_id_and_translates_too():
    with translation.override("en"):  # written by an English-speaking user
        value = stored(gettext_noop("%(old)s → %(new)s：%(note)s"), old="甲",
                       new=DisputeState.MEDIATOR.label, note="当事人要求")
    assert value["params"]["new"] == {"msgid": "调解员调解"}
    with translation.override("en"):
        assert render(value) == f"甲 → {DisputeState.MEDIATOR.label}: 当事人要求"
    assert render_source(value) == "甲 → 调解员调解：当事人要求"


def test_a_context_label_keeps_its_context():
    value = stored(pgettext_lazy("month", "五月"))
    assert value == {"msgid": "五月", "context": "month"}
    assert render_source(value) == "五月"


def test_joined_parts_keep_what_a_user_typed_as_typed():
    value = joined("调解不成。", stored(ROUTES_NOTICE), sep="\n")
    with translation.override("en"):
        typed, notice = render(value).split("\n")
        assert typed == "调解不成。"
        assert notice.startswith("Where mediation fails")
    assert render_source(value) == f"调解不成。\n{ROUTES_NOTICE}"
    assert render(joined("", None, "甲", sep=" ")) == "甲"


def test_dates_and_times_are_kept_as_text_in_local_time():
    moment = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 30))
    value = stored(gettext_noop("期限：%(due)s"), due=moment)
    assert value["params"]["due"] == "2026-03-01 09:30"
    assert stored(gettext_noop("期限：%(due)s"), due=moment.date())["params"]["due"] == "2026-03-01"


def test_rendering_never_fails():
    """A missing parameter, a translation that does not fit, a message id the catalogue lacks
    or a malformed value: some text, never an error."""
    assert render_source(stored(gettext_noop("期限：%(due)s"))) == "期限：%(due)s"
    assert render({"msgid": "甲%(x)s", "params": {"y": 1}}) == "甲%(x)s"
    assert render({"msgid": "未收录的%(x)s", "params": {"x": "乙"}}) == "未收录的乙"
    assert render({"msgid": 3}) == ""
    assert render({"params": {}}) == ""
    assert render(None) == "" and render("照录") == "照录"


def test_split_gives_the_chinese_column_and_the_stored_value():
    with translation.override("en"):
        plain, text = split(stored(NEW_CASE, number="1"), limit=5)
        assert plain == "新纠纷待您" and text == stored(NEW_CASE, number="1")
        assert split("用户输入") == ("用户输入", None)
        plain, text = split(gettext_lazy("已超期"))
        assert (plain, text) == ("已超期", {"msgid": "已超期"})
