"""The demo town's legal aid, legal services and linkage (docs/domain.md, "Demo data that must
match the source"): the source's 3 legal-aid matters of the year, each linked to one of the
demo's legal-aid disputes; consultations and publicity events over the year by village;
some parties marked for priority service; cases handled at the five-elders studio; the
referrals' receipts and results (most came back, some did not); a court-entrusted and a
police-handed-over case with the sender's number. Written through the services, then dated
back where the story is in the past. Cheap: a few dozen rows; runs once."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from disputes import services as dispute_services
from disputes.models import Dispute, DisputeEvent, DisputeReferral
from disputes.states import DisputeCategory, DisputeState
from grid.models import LargeGrid, ServiceUnit, Staff, Town

from . import services
from .models import LegalAidMatter, MatterKind
from .states import HardshipCheck, ProviderKind

MATTERS = [
    # (matter kind, group, reason, what, provider, outcome)
    (MatterKind.MAINTENANCE, "vulnerable", "七旬独居老人，无固定生活来源",
     "请求子女给付赡养费", ProviderKind.LEGAL_SERVICE_OFFICE,
     "经法律服务所代理调解，子女每月给付赡养费600元，已履行。"),
    (MatterKind.LABOUR, "poor_household", "建档立卡贫困户，务工受伤",
     "请求支付拖欠的劳动报酬", ProviderKind.LAWYER,
     "经律师代理劳动仲裁，用人单位支付拖欠工资18600元。"),
    (MatterKind.PERSONAL_INJURY, "assistance_recipient", "低保对象（社会救助）",
     "交通事故人身损害赔偿", ProviderKind.LEGAL_SERVICE_OFFICE, ""),
]
TOPICS = [
    (DisputeCategory.MARRIAGE_FAMILY, "离婚后子女抚养费如何主张", "可协商，协商不成可向法院起诉，法律援助可提供帮助。"),
    (DisputeCategory.HOUSING_HOMESTEAD, "宅基地边界与邻居有争议", "先由村调委会调解，必要时申请镇政府确权。"),
    (DisputeCategory.LABOUR, "外出务工被拖欠工资", "保存考勤、转账记录，可向劳动监察投诉或申请仲裁。"),
    (DisputeCategory.CONTRACT, "土地流转合同到期不续签", "依合同约定处理，建议签订书面续约或终止协议。"),
    (DisputeCategory.ROAD_TRAFFIC, "交通事故保险理赔", "凭事故认定书向保险公司索赔，可申请法律援助。"),
    (DisputeCategory.OTHER, "老人赡养与财产继承", "讲解民法典继承编规定，建议家庭协商并订立书面协议。"),
]
PUBLICITY = [
    "民法典进村入户宣讲", "防范电信网络诈骗", "法律援助知识宣传", "农村土地承包法律知识",
    "反家庭暴力法宣传", "劳动者权益保护", "禁毒法宣传", "宪法宣传日主题活动",
    "扫黑除恶常态化宣传", "道路交通安全法宣传", "未成年人保护法进校园", "信访工作条例宣讲",
]


def _day(year_start: datetime.date, span: int, n: int, of: int) -> datetime.date:
    return year_start + datetime.timedelta(days=span * n // of)


class _Demo:
    def __init__(self, town):
        self.town = town
        self.rng = random.Random(19)
        users = get_user_model().objects
        self.judicial = users.get(username="judicial")
        self.lawyer = users.get(username="lawyer")
        self.leader = users.get(username="leader")
        self.office = ServiceUnit.objects.get(town=town, kind=ServiceUnit.Kind.LEGAL_SERVICE_OFFICE)
        self.studio = ServiceUnit.objects.get(town=town, kind=ServiceUnit.Kind.STUDIO)
        today = timezone.localdate()
        self.year_start = today.replace(month=1, day=4)
        if (today - self.year_start).days < 60:
            self.year_start = self.year_start.replace(year=today.year - 1)
        self.span = max((today - self.year_start).days - 10, 30)

    def matters(self):
        disputes = list(Dispute.objects.filter(town=self.town, legal_aid=True)
                        .order_by("found_at")[:3])
        for dispute, (kind, group, reason, what, provider, outcome) in zip(
                disputes, MATTERS, strict=False):
            applicant = dispute.parties.order_by("id").first()
            applied_on = timezone.localtime(dispute.found_at).date()
            matter = services.legal_aid_matter_create(
                by=self.judicial, small_grid=dispute.small_grid, dispute=dispute,
                name=applicant.name, gender=applicant.gender, age=applicant.age,
                address=applicant.address, phone=applicant.phone, applicant_group=group,
                priority_reason=reason, matter_kind=kind, matter=what, applied_on=applied_on)
            if matter.hardship != HardshipCheck.EXEMPT:
                services.legal_aid_check_hardship(matter=matter, by=self.judicial,
                                                  hardship=HardshipCheck.MET,
                                                  note="经民政信息共享查询，属经济困难。")
                matter.refresh_from_db()
            services.legal_aid_transfer(matter=matter, by=self.judicial)
            services.legal_aid_grant(matter=matter, by=self.judicial,
                                     decided_on=timezone.localdate(),
                                     decision_number=f"崇法援决字〔{applied_on.year}〕{matter.serial}号")
            services.legal_aid_assign(
                matter=matter, by=self.judicial, provider_kind=provider,
                unit=self.office if provider == ProviderKind.LEGAL_SERVICE_OFFICE else None,
                provider_name="" if provider == ProviderKind.LEGAL_SERVICE_OFFICE
                else "王律师（甘肃崇信正义律师事务所）")
            if outcome:
                services.legal_aid_conclude(matter=matter, by=self.judicial, outcome=outcome)
            # The story happened when the dispute did: the decision two days after the
            # transfer, the provider the day after, the end a month later.
            LegalAidMatter.objects.filter(pk=matter.pk).update(
                transferred_on=applied_on + datetime.timedelta(days=1),
                decided_on=applied_on + datetime.timedelta(days=3),
                decision_due=applied_on + datetime.timedelta(days=8),
                assignment_due=applied_on + datetime.timedelta(days=6),
                assigned_on=applied_on + datetime.timedelta(days=4),
                concluded_on=applied_on + datetime.timedelta(days=35) if outcome else None)

    def consultations(self):
        villages = list(LargeGrid.objects.filter(town=self.town).order_by("number"))
        advisers = [s for s in Staff.objects.filter(assignments__unit__town=self.town).distinct()]
        for n in range(24):
            category, question, advice = TOPICS[n % len(TOPICS)]
            unit = self.office if n % 3 else self.studio
            services.consultation_record(
                by=self.leader, town=self.town, large_grid=villages[n % len(villages)],
                unit=unit, consulted_on=_day(self.year_start, self.span, n, 24),
                asker=f"{'王李张刘陈杨赵黄'[n % 8]}{'某某'}", topic=category, question=question,
                asker_group=["", "", "vulnerable", "", "poor_household", "assistance_recipient"][
                    n % 6], advice=advice, advised_by=advisers[n % len(advisers)],
                referred_onward=n % 5 == 0,
                referred_to="县法律援助中心" if n % 5 == 0 else "")

    def publicity(self):
        villages = list(LargeGrid.objects.filter(town=self.town).order_by("number"))
        staff = list(Staff.objects.filter(assignments__unit__town=self.town).distinct())
        for n, topic in enumerate(PUBLICITY):
            village = villages[n % len(villages)]
            services.publicity_record(
                by=self.leader, town=self.town, large_grid=village,
                unit=self.studio if n % 2 else self.office,
                held_on=_day(self.year_start, self.span, n, len(PUBLICITY)),
                place=f"{village.name}村委会广场", topic=topic,
                audience=40 + 15 * (n % 7), staff=staff[: 1 + n % len(staff)])

    def priority_parties(self):
        reasons = [("vulnerable", "残疾人，行动不便"), ("poor_household", "建档立卡贫困户"),
                   ("assistance_recipient", "特困供养人员"), ("vulnerable", "留守老人")]
        cases = list(Dispute.objects.filter(town=self.town).exclude(state=DisputeState.VOIDED)
                     .order_by("id")[::17][:8])
        for n, dispute in enumerate(cases):
            group, reason = reasons[n % len(reasons)]
            dispute_services.dispute_mark_priority(
                dispute=dispute, by=self.leader, party=dispute.parties.order_by("id").first(),
                group=group, reason=reason)

    def studio_cases(self):
        """Five-elders mediation at the studio: two open cases handed to it, and the
        resolved cases of the studio's elder of the year counted as its own."""
        for dispute in Dispute.objects.filter(town=self.town, state=DisputeState.MEDIATOR
                                              ).order_by("id")[:2]:
            dispute_services.dispute_assign_unit(dispute=dispute, by=self.leader,
                                                 unit=self.studio, note="请“五老”调解员调解。")
        resolved = list(Dispute.objects.filter(town=self.town, state__in=[
            DisputeState.RESOLVED, DisputeState.CLOSED], resolved_tier=DisputeState.MEDIATOR)
            .order_by("id").values_list("pk", flat=True)[::3][:8])
        Dispute.objects.filter(pk__in=resolved).update(unit=self.studio)

    def referrals(self):
        """The demo's referrals dated as their cases were; most came back, the last two
        have no result yet."""
        referrals = list(DisputeReferral.objects.filter(dispute__town=self.town)
                         .select_related("dispute").order_by("dispute__referred_at"))
        from disputes.deadlines import referral_receipt_due, referral_result_due

        for n, r in enumerate(referrals):
            at = r.dispute.referred_at
            DisputeReferral.objects.filter(pk=r.pk).update(
                referred_at=at, receipt_due=referral_receipt_due(target=r.target, referred_at=at),
                result_due=referral_result_due(target=r.target, referred_at=at))
            if n >= len(referrals) - 2:
                continue
            dispute = Dispute.objects.get(pk=r.dispute_id)
            if n % 2:
                dispute_services.dispute_acknowledge_referral(dispute=dispute, by=self.leader,
                                                              note="已签收")
            dispute_services.dispute_record_referral_result(
                dispute=dispute, by=self.leader, result="接收单位已依法处理，当事人息诉。")
            DisputeReferral.objects.filter(pk=r.pk).update(
                acknowledged_at=at + datetime.timedelta(days=1),
                result_at=at + datetime.timedelta(days=12))
            for action, days in (("acknowledge_referral", 1), ("referral_result", 12)):
                DisputeEvent.objects.filter(dispute=dispute, action=action).update(
                    created_at=at + datetime.timedelta(days=days))

    def incoming(self):
        """A court-entrusted case reported back, and a police hand-over not yet."""
        cases = list(Dispute.objects.filter(town=self.town, state=DisputeState.CLOSED)
                     .order_by("-found_at")[:2])
        if len(cases) < 2:
            return
        court, police = cases
        Dispute.objects.filter(pk=court.pk).update(
            source="court_entrustment", sender_case_number=f"（{court.year}）甘0823民初218号")
        Dispute.objects.filter(pk=police.pk).update(
            source="police_handover", sender_case_number=f"崇公（黄）受案字〔{police.year}〕36号")
        court.refresh_from_db()
        dispute_services.dispute_report_back(
            dispute=court, by=self.leader, note="已调解结案，协议已履行，函复崇信县人民法院。")

    def run(self):
        self.matters()
        self.consultations()
        self.publicity()
        self.priority_parties()
        self.studio_cases()
        self.referrals()
        self.incoming()


def load(stdout=None):
    town = Town.objects.filter(code="620823103").first()
    if town is None or LegalAidMatter.objects.filter(town=town).exists():
        return
    _Demo(town).run()
