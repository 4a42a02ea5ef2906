"""The dispute workflow's states and choices, apart from the models, so permissions,
routing, alerts, the demo and the figures name them as enums, never as strings.

The four lines of defence (四道防线), bottom-up: grid member → mediator → grid leader → town
committee chair (the source's "梯次调解"; see the README, "What it does").
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisputeState(models.TextChoices):
    GRID_MEMBER = "grid_member", _("网格员调解")
    MEDIATOR = "mediator", _("调解员调解")
    GRID_LEADER = "grid_leader", _("网格长调解")
    CHAIR = "chair", _("镇调委会主任调解")
    RESOLVED = "resolved", _("已化解")
    REFERRED = "referred", _("已移交")
    TERMINATED = "terminated", _("已终止调解")
    CLOSED = "closed", _("已结案")
    WITHDRAWN = "withdrawn", _("已撤回")
    VOIDED = "voided", _("已作废")


# The four lines of defence, bottom-up (docs/domain.md, "Tiered mediation").
TIERS = [DisputeState.GRID_MEMBER, DisputeState.MEDIATOR, DisputeState.GRID_LEADER,
         DisputeState.CHAIR]
OPEN_STATES = list(TIERS)


class DisputeCategory(models.TextChoices):
    """The people's-mediation statistics classification."""

    MARRIAGE_FAMILY = "marriage_family", _("婚姻家庭")
    NEIGHBOUR = "neighbour", _("邻里")
    HOUSING_HOMESTEAD = "housing_homestead", _("房屋宅基地")
    CONTRACT = "contract", _("合同")
    PRODUCTION_BUSINESS = "production_business", _("生产经营")
    DAMAGES = "damages", _("损害赔偿")
    FOREST_LAND = "forest_land", _("山林土地")
    LAND_ACQUISITION = "land_acquisition", _("征地拆迁")
    ENVIRONMENT = "environment", _("环境污染")
    LABOUR = "labour", _("劳动争议")
    CONSUMER = "consumer", _("消费")
    MEDICAL = "medical", _("医疗")
    ROAD_TRAFFIC = "road_traffic", _("道路交通事故")
    PROPERTY_MANAGEMENT = "property_management", _("物业")
    OTHER = "other", _("其他")


class DisputeSource(models.TextChoices):
    SCREENING = "screening", _("排查发现")
    APPLICATION = "application", _("当事人申请")
    WALK_IN = "walk_in", _("来访")
    GRID_REPORT = "grid_report", _("网格上报")
    PETITION_DOCKING = "petition_docking", _("访调对接")
    POLICE_HANDOVER = "police_handover", _("公安移交")
    COURT_ENTRUSTMENT = "court_entrustment", _("法院委托")
    GOVERNMENT_ASSIGNED = "government_assigned", _("政府交办")


class AvertedRisk(models.TextChoices):
    """What a mediation averted, recorded at resolution with the people involved: the
    prevention figures of the people's-mediation statistics report (人民调解统计报表)."""

    CIVIL_TO_CRIMINAL = "civil_to_criminal", _("防止民转刑案件")
    GROUP_PETITION = "group_petition", _("防止群体性上访")
    GROUP_FIGHT = "group_fight", _("防止群体性械斗")
    SUICIDE = "suicide", _("防止自杀")


class RiskLevel(models.TextChoices):
    RED = "red", _("红色（高风险）")
    YELLOW = "yellow", _("黄色（中风险）")
    BLUE = "blue", _("蓝色（低风险）")


class ReferralTarget(models.TextChoices):
    JUDICIAL_OFFICE = "judicial_office", _("司法所")
    COURT = "court", _("人民法院")
    POLICE = "police", _("派出所")
    GOVERNANCE_OFFICE = "governance_office", _("综治办")
    PETITION_OFFICE = "petition_office", _("信访办")
    COUNTY_DEPARTMENT = "county_department", _("县直部门")


# Cases that come in from another unit and whose result goes back to it (a court's entrusted
# mediation, a case the police hand over): the sender's case number is kept.
INCOMING_SOURCES = ("police_handover", "court_entrustment")


class TerminationReason(models.TextChoices):
    """Why a mediation ended without agreement: a party refused it (人民调解法 第十七条), a party
    asked to end it (第二十三条), or it failed (第二十六条)."""

    PARTY_REFUSED = "party_refused", _("当事人拒绝调解")
    PARTY_REQUESTED_END = "party_requested_end", _("当事人要求终止调解")
    MEDIATION_FAILED = "mediation_failed", _("调解不成")


class RespondentConsent(models.TextChoices):
    """Whether the other party agreed to mediation: mediation rests on both parties' consent;
    one who refuses may not be mediated (人民调解法 第十七条、第二十三条)."""

    AGREED = "agreed", _("同意调解")
    REFUSED = "refused", _("拒绝调解")
    NOT_ASKED = "not_asked", _("尚未征询")


class RightsNoticeMethod(models.TextChoices):
    """How the parties were told their rights and duties (若干规定 第三十条: orally or in
    writing)."""

    WRITTEN = "written", _("书面告知")
    ORAL = "oral", _("口头告知")


class ConfirmationResult(models.TextChoices):
    """A court's ruling on an application for judicial confirmation (民事诉讼法 第二百零六条)."""

    PENDING = "pending", _("审查中")
    CONFIRMED = "confirmed", _("确认有效")
    REJECTED = "rejected", _("驳回申请")


# Days allowed at each tier unless the town sets its own (30 in all).
DEFAULT_TIER_DAYS = {DisputeState.GRID_MEMBER: 3, DisputeState.MEDIATOR: 7,
                     DisputeState.GRID_LEADER: 7, DisputeState.CHAIR: 13}


def next_tier(state: str) -> DisputeState | None:
    """The tier above ``state`` on the ladder, or ``None`` at the chair or off the ladder."""
    if state not in TIERS:
        return None
    index = TIERS.index(state)
    return TIERS[index + 1] if index + 1 < len(TIERS) else None


def tier_index(state: str) -> int | None:
    return TIERS.index(state) if state in TIERS else None
