"""The legal-aid workflow's states and choices, apart from the models (法律援助法, 2021).

A matter is registered in the town (by the judicial office or the legal-service office), its
applicant's economic hardship checked or found exempt, then transferred to the county
legal-aid centre (the 法律援助机构 that decides, 第四十三条), which grants or refuses it; a
granted matter is assigned to a provider (the town's legal-service office or a lawyer) and
concluded, or the aid is terminated (第四十八条).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalAidState(models.TextChoices):
    APPLIED = "applied", _("已登记申请")
    TRANSFERRED = "transferred", _("已转县法律援助中心")
    GRANTED = "granted", _("准予法律援助")
    REFUSED = "refused", _("不予法律援助")
    ASSIGNED = "assigned", _("已指派承办")
    CONCLUDED = "concluded", _("已办结")
    TERMINATED = "terminated", _("终止法律援助")
    VOIDED = "voided", _("已作废")


OPEN_STATES = [LegalAidState.APPLIED, LegalAidState.TRANSFERRED, LegalAidState.GRANTED,
               LegalAidState.ASSIGNED]
ENDED_STATES = [LegalAidState.REFUSED, LegalAidState.CONCLUDED, LegalAidState.TERMINATED]


class HardshipCheck(models.TextChoices):
    """The applicant's economic hardship (第四十一条: checked through shared information or
    the applicant's personal pledge of good faith), or an exemption (``Exemption``)."""

    PENDING = "pending", _("尚未核查")
    MET = "met", _("经核查属经济困难")
    PLEDGED = "pledged", _("申请人作出个人诚信承诺")
    NOT_MET = "not_met", _("不符合经济困难条件")
    EXEMPT = "exempt", _("免予核查或不受经济困难条件限制")


class Exemption(models.TextChoices):
    """Who needs no hardship check. 第三十二条: not limited by economic hardship at all;
    第四十二条: hardship taken as given, the check waived, on proof of belonging to the group."""

    HERO_RELATIVE = "art32_hero", _("英雄烈士近亲属为维护英雄烈士的人格权益（第三十二条第一项）")
    GOOD_SAMARITAN = "art32_samaritan", _("因见义勇为行为主张相关民事权益（第三十二条第二项）")
    RETRIAL_ACQUITTAL = "art32_acquittal", _("再审改判无罪请求国家赔偿（第三十二条第三项）")
    ABUSE_VICTIM = "art32_abuse", _("遭受虐待、遗弃或者家庭暴力的受害人主张相关权利（第三十二条第四项）")
    NO_INCOME = "art42_no_income", _("无固定生活来源的未成年人、老年人、残疾人等特定群体（第四十二条第一项）")
    ASSISTANCE = "art42_assistance", _("社会救助、司法救助或者优抚对象（第四十二条第二项）")
    MIGRANT_WORKER = "art42_migrant", _("申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员（第四十二条第三项）")
    OTHER = "other", _("法律、法规、规章规定的其他情形")


class TerminationGround(models.TextChoices):
    """Why legal aid ends before the matter does (第四十八条)."""

    DECEPTION = "deception", _("以欺骗或者其他不正当手段获得法律援助")
    CONCEALMENT = "concealment", _("故意隐瞒重要事实或者提供虚假证据")
    ILLEGAL_USE = "illegal_use", _("利用法律援助从事违法活动")
    NO_LONGER_ELIGIBLE = "no_longer_eligible", _("经济状况变化，不再符合法律援助条件")
    CASE_ENDED = "case_ended", _("案件终止审理或者已被撤销")
    OWN_LAWYER = "own_lawyer", _("自行委托律师或者其他代理人")
    REQUESTED = "requested", _("受援人有正当理由要求终止")
    OTHER = "other", _("法律法规规定的其他情形")


class ProviderKind(models.TextChoices):
    LEGAL_SERVICE_OFFICE = "legal_service_office", _("镇法律服务所")
    LAWYER = "lawyer", _("律师")
