"""Reading the values people type into registers: dates in every form, categories, risk
levels and outcomes in their everyday words. Each returns the value or raises ``ValueError``
with a message for the error column."""

from __future__ import annotations

import datetime
import functools
import re

from django.utils import translation
from django.utils.translation import gettext as _

from disputes.states import DisputeCategory, DisputeState, ReferralTarget, RiskLevel

# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
DATE_RE = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?")
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value) -> datetime.date | None:
    """A date cell, an Excel serial, or text like 2019.3.5, 2019-03-05, 2019/3/5, 2019年3月5日
    or 20190305 (a time after it is ignored). Blank is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # 1954–2119
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        text = str(int(value)) if float(value).is_integer() else str(value)
    else:
        text = str(value).strip()
    match = DATE_RE.match(text) or COMPACT_DATE_RE.match(text)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise ValueError(_("无法识别的日期“%(value)s”（例如 2019.3.5、2019年3月5日）") % {"value": text})


# Everyday words for the fifteen categories of the people's-mediation statistics, the more
# specific first: the first word found in the cell decides.
CATEGORY_WORDS = [
    ("道路交通", DisputeCategory.ROAD_TRAFFIC), ("交通事故", DisputeCategory.ROAD_TRAFFIC),
    ("征地", DisputeCategory.LAND_ACQUISITION), ("拆迁", DisputeCategory.LAND_ACQUISITION),
    ("宅基地", DisputeCategory.HOUSING_HOMESTEAD), ("房屋", DisputeCategory.HOUSING_HOMESTEAD),
    ("山林", DisputeCategory.FOREST_LAND), ("林权", DisputeCategory.FOREST_LAND),
    ("土地", DisputeCategory.FOREST_LAND), ("婚姻", DisputeCategory.MARRIAGE_FAMILY),
    ("家庭", DisputeCategory.MARRIAGE_FAMILY), ("赡养", DisputeCategory.MARRIAGE_FAMILY),
    ("继承", DisputeCategory.MARRIAGE_FAMILY), ("邻里", DisputeCategory.NEIGHBOUR),
    ("相邻", DisputeCategory.NEIGHBOUR), ("劳动", DisputeCategory.LABOUR),
    ("劳资", DisputeCategory.LABOUR), ("欠薪", DisputeCategory.LABOUR),
    ("工资", DisputeCategory.LABOUR), ("合同", DisputeCategory.CONTRACT),
    ("借贷", DisputeCategory.CONTRACT), ("债务", DisputeCategory.CONTRACT),
    ("生产经营", DisputeCategory.PRODUCTION_BUSINESS), ("经营", DisputeCategory.PRODUCTION_BUSINESS),
    ("损害赔偿", DisputeCategory.DAMAGES), ("人身损害", DisputeCategory.DAMAGES),
    ("赔偿", DisputeCategory.DAMAGES), ("环境", DisputeCategory.ENVIRONMENT),
    ("污染", DisputeCategory.ENVIRONMENT), ("消费", DisputeCategory.CONSUMER),
    ("医疗", DisputeCategory.MEDICAL), ("医患", DisputeCategory.MEDICAL),
    ("物业", DisputeCategory.PROPERTY_MANAGEMENT), ("其他", DisputeCategory.OTHER),
    ("其它", DisputeCategory.OTHER),
]


@functools.lru_cache(maxsize=8)
def _category_names(language: str) -> dict[str, str]:
    names = {c.value: c.value for c in DisputeCategory}
    names.update({str(c.label): c.value for c in DisputeCategory})
    return names


def parse_category(value) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValueError(_("请填写纠纷类型"))
    known = _category_names(translation.get_language() or "")
    if text in known:
        return known[text]
    for word, category in CATEGORY_WORDS:
        if word in text:
            return category.value
    raise ValueError(_("无法对应的纠纷类型“%(value)s”（可填：%(choices)s）") % {
        "value": text, "choices": "、".join(str(c.label) for c in DisputeCategory)})


def parse_risk(value) -> str:
    text = str(value or "").strip()
    if not text:
        return RiskLevel.BLUE.value
    for words, level in (("红高重大", RiskLevel.RED), ("黄中较大", RiskLevel.YELLOW),
                         ("蓝低一般绿", RiskLevel.BLUE)):
        if any(ch in text for ch in words) or text == level.value:
            return level.value
    raise ValueError(_("无法识别的风险等级“%(value)s”（红、黄、蓝）") % {"value": text})


# How a register says a case ended. 调解不成 and 终止 (mediation ended without agreement) land
# as referred: the parties were told of the other routes (《人民调解法》第二十六条).
OUTCOME_WORDS = [
    (("调解不成", "不成功", "未成功", "终止", "未达成", "拒绝调解"), DisputeState.TERMINATED),
    (("未化解", "未办结", "调解中", "化解中", "正在", "在办", "跟踪", "稳控", "未结"),
     DisputeState.GRID_MEMBER),
    (("移交", "转交", "转办", "移送", "上报"), DisputeState.REFERRED),
    (("撤回", "撤销", "撤诉"), DisputeState.WITHDRAWN),
    (("已化解", "化解", "成功", "已调解", "办结", "结案", "息诉", "已解决", "解决", "达成"),
     DisputeState.RESOLVED),
]
YES, NO = {"是", "已", "√", "Y", "y", "yes"}, {"否", "未", "×", "N", "n", "no"}


def parse_outcome(value, *, ended: bool) -> str:
    """The state the register's result words mean: resolved, referred, withdrawn, or open
    (the grid member's tier, raised by ``parse_tier``). Blank: resolved when a conclusion
    date is given, else open."""
    text = str(value or "").strip()
    if not text:
        return DisputeState.RESOLVED if ended else DisputeState.GRID_MEMBER
    if text in YES:
        return DisputeState.RESOLVED
    if text in NO:
        return DisputeState.GRID_MEMBER
    for words, state in OUTCOME_WORDS:
        if any(word in text for word in words):
            return state
    raise ValueError(_("无法识别的化解结果“%(value)s”（已化解、未化解、移交、调解不成、撤回）")
                     % {"value": text})


TIER_WORDS = [("主任", DisputeState.CHAIR), ("镇调委会", DisputeState.CHAIR),
              ("镇", DisputeState.CHAIR), ("网格长", DisputeState.GRID_LEADER),
              ("调解员", DisputeState.MEDIATOR), ("村调委会", DisputeState.MEDIATOR),
              ("调委会", DisputeState.MEDIATOR), ("网格员", DisputeState.GRID_MEMBER),
              ("网格", DisputeState.GRID_MEMBER)]


def parse_tier(value) -> str:
    text = str(value or "").strip()
    if not text:
        return DisputeState.GRID_MEMBER
    for word, tier in TIER_WORDS:
        if word in text:
            return tier
    raise ValueError(_("无法识别的化解层级“%(value)s”（网格员、调解员、网格长、调委会主任）")
                     % {"value": text})


REFERRAL_WORDS = [("法院", ReferralTarget.COURT), ("法庭", ReferralTarget.COURT),
                  ("派出所", ReferralTarget.POLICE), ("公安", ReferralTarget.POLICE),
                  ("信访", ReferralTarget.PETITION_OFFICE), ("司法", ReferralTarget.JUDICIAL_OFFICE),
                  ("县", ReferralTarget.COUNTY_DEPARTMENT), ("局", ReferralTarget.COUNTY_DEPARTMENT)]


def parse_referral(value) -> str:
    text = str(value or "").strip()
    for word, target in REFERRAL_WORDS:
        if word in text:
            return target.value
    return ""


PARTY_SPLIT_RE = re.compile(r"[、,，;；/\s]+|与|vs\.?|VS\.?")


def split_list(value) -> list[str]:
    """Names (or phones, ID numbers) written in one cell: 张三、李四 / 张三与李四 / one per line."""
    return [p for p in (s.strip() for s in PARTY_SPLIT_RE.split(str(value or ""))) if p]


def parse_int(value, *, default=None):
    text = str(value or "").strip()
    if not text:
        return default
    match = re.match(r"^\d+", text.replace(",", ""))
    if not match:
        raise ValueError(_("应为数字：“%(value)s”") % {"value": text})
    return int(match.group())


def attempting(errors: list):
    """``attempt(parse, cell)`` for one row: the parsed value, or None with the parser's
    message added to ``errors``, so every cell of the row is checked at once."""
    def attempt(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValueError as exc:
            errors.append(str(exc))
            return None

    return attempt


def check_person(data: dict, checks: dict, errors: list) -> None:
    """A party's or petitioner's own field checks, as intake runs them, without building a
    model per person (a register may have 50,000 rows); messages named by the person."""
    from django.core.exceptions import ValidationError

    for field_name, validators in checks.items():
        for check in validators:
            try:
                check(data[field_name])
            except ValidationError as exc:
                errors.extend(f"{data['name']}：{m}" for m in exc.messages)
