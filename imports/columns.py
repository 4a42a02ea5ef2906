"""The columns an import understands and the headers registers give them: one table.

Each field lists its headers as towns write them (normalised: no spaces, half-width brackets);
a header is recognised when it equals one of them. The mapping page shows the guess and lets
the office change it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .reader import normalise


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False


LEDGER_FIELDS = [
    Field("serial", _("序号"), ("序号", "编号序号", "No", "NO")),
    Field("number", _("编号 / 案号"), ("编号", "案号", "纠纷编号", "案件编号", "卷宗号", "档案号",
                                       "登记编号")),
    Field("found_on", _("发现 / 登记日期"),
          ("发现日期", "登记日期", "发现时间", "登记时间", "排查日期", "排查时间", "受理日期",
           "受理时间", "摸排时间", "摸排日期", "日期", "时间"), required=True),
    Field("grid", _("所属网格 / 村"),
          ("所属网格", "网格", "小网格", "所在网格", "村", "所属村", "所在村", "村(社区)",
           "所属村(社区)", "村组", "村社", "发生地点", "地点"), required=True),
    Field("parties", _("当事人"), ("当事人", "当事人姓名", "双方当事人", "姓名", "当事人姓名(双方)",
                                  "当事人情况"), required=True),
    Field("phones", _("联系电话"), ("联系电话", "电话", "当事人电话", "联系方式", "手机",
                                   "当事人联系电话", "手机号码")),
    Field("id_numbers", _("身份证号"), ("身份证号", "身份证号码", "公民身份号码", "当事人身份证号",
                                     "当事人身份证号码")),
    Field("category", _("纠纷类型"), ("纠纷类型", "类型", "纠纷类别", "矛盾类型", "矛盾纠纷类型",
                                    "类别"), required=True),
    Field("title", _("纠纷名称"), ("纠纷名称", "事由", "标题", "案由", "纠纷事由")),
    Field("description", _("简要情况"),
          ("简要情况", "纠纷简要情况", "基本情况", "主要内容", "简要案情", "矛盾纠纷简要情况",
           "主要情况", "纠纷情况", "基本案情", "内容")),
    Field("risk_level", _("风险等级"), ("风险等级", "风险", "预警等级", "等级", "风险级别")),
    Field("mediator", _("调解人 / 责任人"), ("调解人", "责任人", "包案人", "承办人", "调解员",
                                          "化解责任人", "责任人员")),
    Field("measures", _("化解措施"), ("化解措施", "调处措施", "措施", "工作措施", "调解措施")),
    Field("result", _("化解结果 / 是否化解"),
          ("化解结果", "是否化解", "调处结果", "办理结果", "化解情况", "调解结果", "办理情况",
           "状态", "处理结果", "结果")),
    Field("ended_on", _("办结日期"), ("办结日期", "办结时间", "化解日期", "化解时间", "结案日期",
                                   "结案时间", "调结日期")),
    Field("leader", _("包抓领导"), ("包抓领导", "包案领导", "包保领导", "包抓责任领导")),
    Field("tier", _("化解层级"), ("化解层级", "调解层级", "化解单位", "调处层级")),
    Field("referred_to", _("移交单位"), ("移交单位", "移交部门", "移送单位")),
    Field("people_involved", _("涉及人数"), ("涉及人数", "人数", "涉及人员")),
    Field("amount_at_stake", _("涉及金额（元）"), ("涉及金额", "金额", "涉及金额(元)", "标的额")),
]

ROSTER_FIELDS = [
    Field("large_grid_number", _("大网格编号"), ("大网格编号", "大网格序号", "村编号")),
    Field("large_grid", _("大网格 / 村"), ("大网格", "大网格名称", "村(社区)", "村", "所属村",
                                        "行政村", "社区", "村名")),
    Field("large_grid_kind", _("村 / 社区"), ("类型", "村社类型", "性质")),
    Field("small_grid_number", _("小网格编号"), ("小网格编号", "小网格序号", "网格编号")),
    Field("small_grid", _("小网格"), ("小网格", "小网格名称", "网格", "网格名称")),
    Field("small_grid_description", _("小网格范围"), ("范围", "网格范围", "管辖范围", "包含村组")),
    Field("name", _("姓名"), ("姓名", "人员姓名", "工作人员")),
    Field("gender", _("性别"), ("性别",)),
    Field("phone", _("联系电话"), ("联系电话", "电话", "手机", "手机号码")),
    Field("title", _("单位及职务"), ("单位及职务", "职务", "现任职务", "单位职务")),
    Field("role", _("角色"), ("角色", "岗位", "网格职务", "工作职责", "身份")),
    Field("committee", _("调委会"), ("调委会", "所属调委会", "人民调解委员会")),
    Field("household", _("包户户主"), ("包户户主", "联系户户主", "联系户", "包联户", "户主")),
    Field("elder_kind", _("“五老”类别"), ("五老类别", "“五老”类别", "\"五老\"类别", "五老")),
    Field("starts_on", _("起始日期"), ("起始日期", "任职日期", "开始日期", "任职时间", "起始时间")),
    Field("ends_on", _("终止日期"), ("终止日期", "离任日期", "结束日期", "离任时间")),
]

PETITION_FIELDS = [
    Field("serial", _("序号"), ("序号",)),
    Field("number", _("信访编号"), ("信访编号", "编号", "登记编号", "件号")),
    Field("received_on", _("收到日期"), ("收到日期", "来访日期", "来信日期", "登记日期", "信访日期",
                                       "受理日期", "日期", "来访时间", "登记时间"), required=True),
    Field("grid", _("所属网格 / 村"), ("所属网格", "网格", "村", "所属村", "村(社区)", "所在村",
                                    "住址", "村组"), required=True),
    Field("petitioners", _("信访人"), ("信访人", "信访人姓名", "姓名", "来访人", "反映人"),
          required=True),
    Field("phones", _("联系电话"), ("联系电话", "电话", "联系方式", "手机")),
    Field("id_numbers", _("身份证号"), ("身份证号", "身份证号码", "公民身份号码")),
    Field("people_count", _("信访人数"), ("信访人数", "人数", "来访人数")),
    Field("form", _("信访形式"), ("信访形式", "形式", "来信来访")),
    Field("kind", _("信访类别"), ("信访类别", "类别", "类型")),
    Field("subject", _("信访事项"), ("信访事项", "事项", "事由", "反映问题", "问题类别")),
    Field("content", _("主要诉求"), ("主要诉求", "主要诉求及事实", "反映内容", "主要内容",
                                   "诉求", "内容", "基本情况")),
    Field("replied_on", _("答复日期"), ("答复日期", "答复时间", "回复日期", "处理日期"),
          required=True),
    Field("reply", _("处理意见"), ("处理意见", "答复意见", "处理结果", "办理结果", "答复内容")),
    Field("closed_on", _("办结日期"), ("办结日期", "办结时间", "结案日期")),
    Field("satisfied", _("是否满意"), ("是否满意", "满意度", "信访人是否满意", "满意")),
]

FIELDS_BY_KIND = {"ledger": LEDGER_FIELDS, "roster": ROSTER_FIELDS,
                  "petitions": PETITION_FIELDS}


def _alias_index(fields) -> dict[str, str]:
    index = {}
    for field in fields:
        for alias in field.aliases:
            index.setdefault(normalise(alias), field.key)
    return index


ALIASES = {kind: _alias_index(fields) for kind, fields in FIELDS_BY_KIND.items()}


def matcher(kind: str):
    index = ALIASES[kind]
    return lambda label: bool(label) and label in index


def guess_mapping(kind: str, labels: list[str]) -> list[str]:
    """The field key for each column ("" when not known); a field is taken once, by the
    leftmost column that names it."""
    index, taken, mapping = ALIASES[kind], set(), []
    for label in labels:
        key = index.get(normalise(label), "")
        if key in taken:
            key = ""
        taken.add(key)
        mapping.append(key)
    return mapping
