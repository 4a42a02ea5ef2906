"""Demo cases for Huangzhai: a year like the source's (docs/domain.md, "Demo data").

104 disputes mediated in the demo year (most resolved at tiers 1–3, some by the chair, a few
referred), 3 of them legal-aid cases; beside them, mediations terminated without agreement
(a respondent who refused, a party who asked to end it, a failed mediation), a judicial
confirmation the court granted, a report to the police still waiting for its
acknowledgement, and open cases waiting at every tier (some overdue), all made through the
services so that numbers, handlers and history are real; timestamps are then
moved back to the days the cases happened. Idempotent: a town that already has cases is left
as it is.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from core.validators import resident_id_check_char
from grid.models import Role, Room, Staff, Town

from . import services
from .models import Dispute, DisputeEvent
from .states import TIERS, DisputeState

# (category, title, description, outcome)
CASES = [
    ("neighbour", "{place}排水沟渠纠纷", "{a}家修建排水沟渠，雨水流入{b}家院落，双方多次争吵。",
     "双方同意共同出资改建排水沟，{a}承担六成费用。"),
    ("housing_homestead", "{place}宅基地界址纠纷", "{a}新建院墙越过原界址约0.5米，{b}要求拆除。",
     "经现场丈量，{a}后退院墙0.5米，{b}不再追究。"),
    ("marriage_family", "{place}赡养纠纷", "{a}年过七旬，要求子女{b}按月支付赡养费。",
     "{b}每月支付赡养费600元，并轮流照料。"),
    ("forest_land", "{place}承包地边界纠纷", "双方承包地相邻，因地埂位置及种植果树发生争执。",
     "依据承包合同重新确界，埋设界桩。"),
    ("contract", "{place}农机租赁合同纠纷", "{a}租用{b}的收割机，因损坏赔偿和租金发生争议。",
     "{a}支付租金并承担维修费1200元。"),
    ("labour", "{place}劳务费纠纷", "{a}在{b}承包的工地务工，尚有劳务费8600元未结。",
     "{b}于约定期限内一次性支付劳务费8600元。"),
    ("damages", "{place}牲畜损害庄稼赔偿纠纷", "{b}家牛羊进入{a}家玉米地，造成损失。",
     "{b}赔偿{a}损失800元，加强圈养。"),
    ("road_traffic", "{place}三轮车刮擦赔偿纠纷", "村道上{a}驾驶三轮车与{b}电动车刮擦，双方轻微受伤。",
     "{a}承担医疗费及修车费共2300元。"),
    ("production_business", "{place}苹果收购款纠纷", "{b}收购{a}苹果后尚欠货款。",
     "{b}分两期付清欠款。"),
    ("land_acquisition", "{place}村委会道路拓宽补偿纠纷", "村道拓宽占用{a}家部分责任田，对补偿标准有异议。",
     "按县定标准补偿，并调整一处机动地。"),
    ("environment", "{place}养殖场异味纠纷", "{b}养殖场粪污处理不当，周边住户{a}等反映异味严重。",
     "{b}限期建设粪污处理设施并定期清运。"),
    ("consumer", "{place}化肥质量纠纷", "{a}购买{b}经销的化肥后作物减产，怀疑化肥质量问题。",
     "{b}退还部分货款并提供技术指导。"),
    ("medical", "{place}村卫生室诊疗纠纷", "{a}在村卫生室输液后出现过敏反应，要求赔偿。",
     "卫生室承担后续治疗费用。"),
    ("property_management", "{place}社区物业服务纠纷", "{a}对小区供暖及卫生服务不满，拒交物业费。",
     "物业整改服务，{a}补交物业费。"),
    ("other", "{place}口角引发纠纷", "双方因琐事口角，{b}扬言报复。",
     "双方互相道歉，签订和解协议。"),
]

# How the demo year ends: the tier each concluded case ended at, and how many (104 in all).
CONCLUDED = [(DisputeState.GRID_MEMBER, 40), (DisputeState.MEDIATOR, 30),
             (DisputeState.GRID_LEADER, 20), (DisputeState.CHAIR, 9),
             (DisputeState.REFERRED, 5)]
OPEN = [(DisputeState.GRID_MEMBER, 4), (DisputeState.MEDIATOR, 4),
        (DisputeState.GRID_LEADER, 3), (DisputeState.CHAIR, 2)]

# History rows added beside the ladder's own (see ``_Demo.backdate``).
QUIET_ACTIONS = {DisputeEvent.Action.NOTIFY_RIGHTS, DisputeEvent.Action.JUDICIAL_CONFIRMATION}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许"
GIVEN = ["志刚", "秀兰", "建军", "桂英", "永平", "晓红", "海军", "玉珍", "长生", "红梅", "国华",
         "春燕", "明亮", "翠萍", "卫东", "小军", "金山", "兰英", "文革", "富贵"]


class _Demo:
    def __init__(self, town: Town):
        self.town = town
        self.rng = random.Random(2026)
        self.User = get_user_model()
        self.fallback = self.User.objects.get(username="leader")
        self.room = Room.objects.filter(centre__town=town, kind=Room.Kind.MEDIATION).first()

    def person(self):
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def phone(self):
        return "1" + self.rng.choice("35789") + "".join(self.rng.choice("0123456789")
                                                        for _ in range(9))

    def id_number(self):
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 20000))
        first17 = f"620823{born:%Y%m%d}{self.rng.randint(100, 999)}"
        return first17 + resident_id_check_char(first17)

    def actor_for(self, dispute) -> object:
        handler = dispute.handler
        if handler is not None and handler.user_id:
            return handler.user
        return self.fallback

    def parties(self, a, b):
        return [
            {"name": a, "role": "applicant", "gender": self.rng.choice(["male", "female"]),
             "ethnicity": "汉族", "age": self.rng.randint(25, 78), "occupation": "农民",
             "address": f"{self.town.name}", "phone": self.phone(), "id_number": self.id_number()},
            {"name": b, "role": "respondent", "gender": self.rng.choice(["male", "female"]),
             "ethnicity": "汉族", "age": self.rng.randint(25, 78), "occupation": "农民",
             "address": f"{self.town.name}", "phone": self.phone()},
        ]

    def create(self, *, found_at, legal_aid=False, risk="blue", civil_to_criminal=False,
               consent="agreed"):
        from grid.models import SmallGrid

        small_grid = self.rng.choice(list(SmallGrid.objects.filter(large_grid__town=self.town)))
        category, title, description, outcome = self.rng.choice(CASES)
        a, b = self.person(), self.person()
        holder = (Staff.objects.filter(assignments__role=Role.GRID_MEMBER,
                                       assignments__small_grid=small_grid,
                                       user__isnull=False).select_related("user").first())
        by = holder.user if holder else self.fallback
        dispute = services.dispute_create(
            by=by, small_grid=small_grid, parties=self.parties(a, b),
            title=title.format(place=small_grid.large_grid.name), description=description.format(
                a=a, b=b),
            category=category, source=self.rng.choice(["screening", "grid_report", "walk_in",
                                                       "application"]),
            found_at=found_at, occurred_at=found_at - datetime.timedelta(days=1),
            people_involved=self.rng.randint(2, 6), risk_level=risk,
            risk_civil_to_criminal=civil_to_criminal, legal_aid=legal_aid,
            respondent_consent=consent)
        return dispute, outcome.format(a=a, b=b)

    def climb(self, dispute, to_tier):
        while dispute.state != to_tier:
            services.dispute_escalate(dispute=dispute, by=self.actor_for(dispute),
                                      note="当面劝解未果，双方分歧较大，提请上一级调解。")
            dispute.refresh_from_db()
            if dispute.state in TIERS[1:] and self.room:
                services.dispute_session_add(
                    dispute=dispute, by=self.actor_for(dispute), held_at=timezone.now(),
                    room=self.room, mediators=[dispute.handler] if dispute.handler else [],
                    record="召集双方当事人到调解室，听取陈述，释法明理。", place="")
        return dispute

    def notify_rights(self, dispute, on):
        services.dispute_notify_rights(dispute=dispute, by=self.actor_for(dispute),
                                       notified_on=on, method="written",
                                       note="送达《人民调解当事人权利义务告知书》。")
        dispute.refresh_from_db()

    def resolve(self, dispute, outcome, signed_on, *, confirm=False):
        written = dispute.state != DisputeState.GRID_MEMBER
        # The signer is a people's mediator of the committee that mediated (人民调解法
        # 第二十九条): the handler if they are one, else the village's first mediator.
        signer = dispute.handler
        if written and (signer is None
                        or services.signing_committee(dispute=dispute, staff=signer) is None):
            signer = services.eligible_mediators(dispute=dispute).first()
        agreement = {
            "kind": "written" if written else "oral",
            "facts": dispute.description, "points_in_dispute": "责任划分及赔偿数额",
            "terms": outcome, "responsibilities": "双方各自承担相应责任，按协议内容履行。",
            "performance_method": "现金或转账一次性履行",
            "performance_place": "镇综治中心", "signed_on": signed_on,
            "performance_deadline": signed_on + datetime.timedelta(days=15),
            "mediator": signer, "confirmation_requested": confirm,
        }
        services.dispute_resolve(dispute=dispute, by=self.actor_for(dispute), outcome=outcome,
                                 agreement=agreement, written_required=written)
        dispute.refresh_from_db()
        return dispute

    def backdate(self, dispute, found_at, *, days_per_step=2):
        """Move the case's stamps from today back to when it happened."""
        events = list(dispute.events.order_by("id"))
        sessions = iter(dispute.sessions.order_by("id"))
        when = found_at
        for index, event in enumerate(events):
            if index and event.action in QUIET_ACTIONS:
                # Records that move no case (the rights notice, a court's ruling) take an
                # hour, and leave the demo's random sequence as it was without them.
                when = when + datetime.timedelta(hours=1)
            elif index:
                when = when + datetime.timedelta(days=days_per_step, hours=self.rng.randint(1, 6))
            DisputeEvent.objects.filter(pk=event.pk).update(created_at=when)
            if event.action == "session":
                session = next(sessions, None)
                if session is not None:
                    type(session).objects.filter(pk=session.pk).update(held_at=when)
        d = Dispute.objects.get(pk=dispute.pk)
        # Events that stay in one state (sessions, attachments) do not start a tier.
        last_tier_event = dispute.events.filter(to_state__in=TIERS).exclude(
            from_state=F("to_state")).order_by("-id").first()
        updates = {"created_at": found_at}
        if d.state in TIERS:
            started = (DisputeEvent.objects.get(pk=last_tier_event.pk).created_at
                       if last_tier_event else found_at)
            from .deadlines import tier_due_at

            updates["tier_started_at"] = started
            updates["tier_due_at"] = tier_due_at(town_id=d.town_id, state=d.state,
                                                 started_at=started)
        else:
            updates["tier_due_at"] = None
        if d.resolved_at:
            updates["resolved_at"] = DisputeEvent.objects.filter(
                dispute=d, action=DisputeEvent.Action.RESOLVE).order_by("-id").values_list(
                "created_at", flat=True).first()
        if d.referred_at:
            updates["referred_at"] = when
        if d.closed_at:
            updates["closed_at"] = when
        if d.terminated_at:
            updates["terminated_at"] = when
        Dispute.objects.filter(pk=d.pk).update(**updates)

    def follow_up_and_close(self, dispute, visited_on):
        dispute.refresh_from_db()
        first = dispute.events.order_by("-id").first()
        visitor = dispute.handler or dispute.reporter
        services.dispute_followup(dispute=dispute, by=self.actor_for(dispute),
                                  visited_on=visited_on, visitor=visitor, agreement_kept=True,
                                  note="双方已按协议履行。")
        services.dispute_close(dispute=dispute, by=self.actor_for(dispute))
        when = timezone.make_aware(datetime.datetime.combine(visited_on, datetime.time(10)))
        DisputeEvent.objects.filter(dispute=dispute, id__gt=first.id).update(created_at=when)
        Dispute.objects.filter(pk=dispute.pk).update(closed_at=when)

    def demo_year(self, now):
        """The first day and the length in days of the demo year: this year's from 4 January
        to 40 days ago; early in the year, when that span would be short or negative (1
        January to mid-March), last year's whole, so the demo looks right on any day."""
        year_start = timezone.make_aware(datetime.datetime(now.year, 1, 4, 9, 0))
        end = now - datetime.timedelta(days=40)
        if (end - year_start).days < 60:
            year_start = timezone.make_aware(datetime.datetime(now.year - 1, 1, 4, 9, 0))
            end = min(end, timezone.make_aware(datetime.datetime(now.year - 1, 12, 20, 9, 0)))
        return year_start, (end - year_start).days

    def terminated(self, year_start, span):
        """Mediations ended without agreement (人民调解法 第十七条、第二十三条、第二十六条),
        counted apart from referrals."""
        plan = [("party_refused", DisputeState.GRID_MEMBER, "refused",
                 "被申请人明确表示不同意调解。"),
                ("party_requested_end", DisputeState.MEDIATOR, "agreed",
                 "经两次调解，申请人要求终止调解，拟向人民法院起诉。"),
                ("mediation_failed", DisputeState.CHAIR, "agreed",
                 "经多次调解，双方对赔偿数额分歧过大，调解不成。")]
        for n, (reason, tier, consent, note) in enumerate(plan):
            found_at = year_start + datetime.timedelta(days=span * (n + 1) // 4, hours=3)
            dispute, _outcome = self.create(found_at=found_at, consent=consent)
            self.climb(dispute, tier)
            services.dispute_terminate(dispute=dispute, by=self.actor_for(dispute),
                                       reason=reason, note=note)
            self.backdate(dispute, found_at)

    def confirmed(self, dispute):
        """The court confirmed one written agreement (民事诉讼法 第二百零六条)."""
        agreement = dispute.agreement
        services.dispute_record_confirmation(
            dispute=dispute, by=self.actor_for(dispute),
            applied_on=agreement.signed_on + datetime.timedelta(days=3),
            court="崇信县人民法院", case_number=f"（{agreement.signed_on.year}）甘0823民特12号",
            result="confirmed", decided_on=agreement.signed_on + datetime.timedelta(days=10))

    def police_report(self, now):
        """Civil-to-criminal risk reported to the police; mediation goes on at its tier
        (人民调解法 第二十五条) and the liaison has not yet acknowledged it."""
        found_at = now - datetime.timedelta(days=5, hours=2)
        dispute, _outcome = self.create(found_at=found_at, risk="red", civil_to_criminal=True)
        self.climb(dispute, DisputeState.MEDIATOR)
        services.dispute_report_police(
            dispute=dispute, by=self.actor_for(dispute),
            note="一方扬言持械报复，已报告甘庄警务室，并安排专人稳控、劝导。")
        self.backdate(dispute, found_at, days_per_step=1)

    def run(self):
        now = timezone.now()
        year_start, span = self.demo_year(now)
        confirm_one = True
        plan = [tier for tier, n in CONCLUDED for _ in range(n)]
        self.rng.shuffle(plan)
        legal_aid_at = {5, 37, 71}
        for index, outcome_tier in enumerate(plan):
            found_at = year_start + datetime.timedelta(
                days=int(span * index / len(plan)), hours=self.rng.randint(0, 8))
            referred = outcome_tier == DisputeState.REFERRED
            dispute, outcome = self.create(
                found_at=found_at, legal_aid=index in legal_aid_at,
                risk="red" if referred else self.rng.choice(["blue", "blue", "yellow"]),
                civil_to_criminal=referred and index % 2 == 0)
            if referred:
                if dispute.risk_civil_to_criminal:
                    services.dispute_refer(dispute=dispute, by=self.actor_for(dispute),
                                           target="police", note="存在民转刑风险，移交派出所依法处置。")
                else:
                    self.climb(dispute, DisputeState.CHAIR)
                    services.dispute_refer(dispute=dispute, by=self.actor_for(dispute),
                                           target=self.rng.choice(["court", "judicial_office"]),
                                           note="多次调解未达成一致，引导当事人通过诉讼途径解决。")
            else:
                self.climb(dispute, outcome_tier)
                found_on = timezone.localtime(found_at).date()
                signed_on = found_on + datetime.timedelta(
                    days=2 * (TIERS.index(outcome_tier) + 1))
                if outcome_tier != DisputeState.GRID_MEMBER:
                    self.notify_rights(dispute, found_on)
                confirm = outcome_tier != DisputeState.GRID_MEMBER and confirm_one
                dispute = self.resolve(dispute, outcome, signed_on, confirm=confirm)
                if confirm:
                    self.confirmed(dispute)
                    confirm_one = False
            self.backdate(dispute, found_at)
            if not referred and index % 2 == 0:
                self.follow_up_and_close(dispute, signed_on + datetime.timedelta(days=20))

        # Open cases waiting at every tier; the oldest of each tier are past their deadline.
        for tier, count in OPEN:
            for n in range(count):
                days_ago = {DisputeState.GRID_MEMBER: 1 + 2 * n,
                            DisputeState.MEDIATOR: 4 + 3 * n,
                            DisputeState.GRID_LEADER: 9 + 4 * n,
                            DisputeState.CHAIR: 14 + 8 * n}[tier]
                found_at = now - datetime.timedelta(days=days_ago, hours=n)
                dispute, _outcome = self.create(
                    found_at=found_at, risk=self.rng.choice(["blue", "yellow", "red"]))
                self.climb(dispute, tier)
                self.backdate(dispute, found_at, days_per_step=1)
        self.terminated(year_start, span)
        self.police_report(now)


def load(stdout=None):
    town = Town.objects.filter(code="620823103").first()
    if town is None or Dispute.objects.filter(town=town).exists():
        return
    _Demo(town).run()


