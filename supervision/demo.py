"""Demo supervision for Huangzhai: an urgent dispute assessed red with its supervision notice,
notices in every state (one overdue, traced), an informant's report waiting for assessment,
and the alerts the deadline sweep sends. Idempotent: skipped when the town has notices."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from disputes.models import Dispute, DisputeState
from disputes.services import dispute_escalate_urgent
from grid.models import LargeGrid, SmallGrid, Staff, Town

from . import services
from .models import NoticeEvent, RiskAssessment, SupervisionNotice


def load(stdout=None):
    town = Town.objects.filter(code="620823103").first()
    if town is None or SupervisionNotice.objects.filter(town=town).exists():
        return
    User = get_user_model()
    leader, gl01, gm01 = (User.objects.get(username=u) for u in ("leader", "gl01", "gm01"))
    gl01_staff, leader_staff = Staff.objects.get(user=gl01), Staff.objects.get(user=leader)
    lg1 = LargeGrid.objects.get(town=town, number=1)
    now = timezone.now()

    # An open dispute at risk of turning criminal goes straight to the chair, is assessed red
    # and gets a supervision notice with the four fixes.
    dispute = (Dispute.objects.filter(town=town, state=DisputeState.GRID_MEMBER)
               .order_by("id").first())
    if dispute is not None:
        Dispute.objects.filter(pk=dispute.pk).update(risk_level="red",
                                                     risk_extreme_behaviour=True)
        dispute.refresh_from_db()
        dispute_escalate_urgent(dispute=dispute, by=leader,
                                justification="当事人扬言采取极端行为，需立即由镇调委会介入。")
        assessment = RiskAssessment.objects.filter(dispute=dispute, assessed_at__isnull=True).first()
        if assessment:
            services.assessment_record(by=leader, assessment=assessment, level="red",
                                       reasons="矛盾激化，存在个人极端行为风险。")
        chair = Staff.objects.filter(user__username="chair").first()
        services.notice_issue(
            by=leader, town=town, kind="supervision", title=f"{dispute.title}（督办）",
            situation=dispute.description, leader_in_charge=leader_staff,
            measures="镇调委会主任牵头，司法所、派出所配合，3日内组织面对面调解并落实稳控措施。",
            responsible=chair, urgency="urgent",
            target_large_grids=[dispute.small_grid.large_grid], target_offices=["police"],
            dispute=dispute, assessment=assessment)

    def issue(title, measures, **kw):
        return services.notice_issue(by=leader, town=town, leader_in_charge=leader_staff,
                                     measures=measures, responsible=gl01_staff,
                                     target_large_grids=[lg1], situation=title, title=title,
                                     **kw)

    early = issue("汛期地质灾害隐患点周边群众安置预警", "逐户排查、落实转移安置预案。",
                  kind="early_warning", urgency="ordinary")
    services.notice_acknowledge(notice=early, by=gl01)
    services.notice_progress(notice=early, by=gl01, note="已完成隐患点周边12户排查。")

    reported = issue("黄寨村土地流转租金纠纷督办", "协调合作社制定兑付计划。",
                     kind="supervision", urgency="ordinary")
    services.notice_acknowledge(notice=reported, by=gl01)
    services.notice_report(notice=reported, by=gl01, result="合作社已与12户签订兑付协议，首期已支付。")

    returned = issue("黄寨村危房改造名额公示异议督办", "复核名额评定程序，张榜公示。",
                     kind="supervision", urgency="ordinary")
    services.notice_acknowledge(notice=returned, by=gl01)
    services.notice_report(notice=returned, by=gl01, result="已重新公示。")
    services.notice_return(notice=returned, by=leader, opinion="未附评议会议记录，请补充后再报。",
                           new_deadline=now + datetime.timedelta(days=7), facts_checked=False,
                           problem_solved=False, measures_lawful=True)

    verified = issue("黄寨村灌溉用水纠纷督办", "组织用水户协商轮灌方案。", kind="supervision",
                     urgency="ordinary")
    services.notice_acknowledge(notice=verified, by=gl01)
    services.notice_report(notice=verified, by=gl01, result="已制定轮灌方案，各户签字认可。")
    services.notice_verify(notice=verified, by=leader, facts_checked=True, problem_solved=True,
                           measures_lawful=True, opinion="经核实，问题已解决。")

    overdue = issue("黄寨村道路占地补偿遗留问题督办", "核实补偿名册，逐户答复。",
                    kind="supervision", urgency="urgent")
    past = now - datetime.timedelta(days=2)
    SupervisionNotice.objects.filter(pk=overdue.pk).update(deadline=past,
                                                           created_at=past - datetime.timedelta(
                                                               days=3))
    NoticeEvent.objects.filter(notice=overdue).update(created_at=past - datetime.timedelta(days=3))

    grid = SmallGrid.objects.get(large_grid=lg1, number=1)
    services.instability_report_create(by=gm01, small_grid=grid,
                                       content="有外出务工人员返乡后因工资拖欠情绪激动，扬言到县上讨说法。")
    services.deadline_alerts_sweep()
