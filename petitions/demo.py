"""Demo petitions for Huangzhai: every state, a repeat petitioner, a group petition with its
representatives, one docked to mediation, one whose extension the town leadership approved,
an accusation transferred to the discipline-inspection organ, delivered replies and a
petitioner's evaluation. Made through the services, then dated back. Idempotent: a town that
already has petitions is left as it is."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.validators import resident_id_check_char
from grid.models import SmallGrid, Staff, Town

from . import services
from .models import Petition, PetitionEvent


def _id(born: str, seq: int) -> str:
    first17 = f"620823{born}{seq:03d}"
    return first17 + resident_id_check_char(first17)


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def load(stdout=None):
    town = Town.objects.filter(code="620823103").first()
    if town is None or Petition.objects.filter(town=town).exists():
        return
    User = get_user_model()
    gm01, gl01 = User.objects.get(username="gm01"), User.objects.get(username="gl01")
    office, leader = User.objects.get(username="petition"), User.objects.get(username="leader")
    grid1 = SmallGrid.objects.get(large_grid__town=town, large_grid__number=1, number=1)
    grid2 = SmallGrid.objects.get(large_grid__town=town, large_grid__number=2, number=1)

    def register(by, grid, subject, content, people, received, **fields):
        p = services.petition_create(by=by, small_grid=grid, petitioners=people, subject=subject,
                                     content=content, received_on=received,
                                     form=fields.pop("form", "visit"),
                                     kind=fields.pop("kind", "claim"), **fields)
        return p

    def backdate(p, start: datetime.date, step=2):
        when = timezone.make_aware(datetime.datetime.combine(start, datetime.time(9, 30)))
        for i, event in enumerate(p.events.order_by("id")):
            PetitionEvent.objects.filter(pk=event.pk).update(
                created_at=when + datetime.timedelta(days=step * i))

    wang = {"name": "王建国", "gender": "male", "age": 58, "phone": "13993301234",
            "id_number": _id("19680312", 101), "address": "黄寨村1组"}

    # Registered, waiting for acceptance (one of them past the 15-day limit).
    p = register(gm01, grid1, "要求解决自来水入户问题", "家中自来水管网年久失修，常年停水。",
                 [{"name": "李秀英", "gender": "female", "age": 66, "phone": "13893305678"}],
                 _days_ago(3), form="letter", kind="suggestion")
    backdate(p, _days_ago(3))
    p = register(gm01, grid1, "反映村道路灯不亮", "村道路灯损坏半年无人维修。",
                 [{"name": "赵永平", "gender": "male", "age": 45}], _days_ago(18), form="phone",
                 kind="suggestion")
    backdate(p, _days_ago(18))

    # Declined (a matter in litigation) and guided.
    p = register(office, grid2, "要求撤销法院判决", "对离婚财产分割判决不服。",
                 [{"name": "孙桂英", "gender": "female", "age": 41}], _days_ago(40),
                 in_litigation=True)
    services.petition_decline(petition=p, by=office, reason="该事项已经人民法院判决，属诉讼程序处理范围。",
                              proper_channel="依法向上一级人民法院申请再审")
    backdate(p, _days_ago(40))
    p = register(office, grid2, "咨询养老保险缴费", "咨询城乡居民养老保险补缴政策。",
                 [{"name": "陈海军", "gender": "male", "age": 59}], _days_ago(12),
                 kind="suggestion")
    services.petition_guide(petition=p, by=office, guided_to="县社保局城乡居民养老保险服务窗口")
    backdate(p, _days_ago(12))

    # The first petition of a repeat petitioner: replied and closed after the review window.
    first = register(gm01, grid1, "宅基地确权面积争议", "认为宅基地确权面积少登记30平方米。",
                     [wang], _days_ago(150))
    services.petition_accept(petition=first, by=gm01)
    services.petition_reply(petition=first, by=gl01, request="要求更正宅基地确权面积",
                            facts="经实地测量，确权面积与实际使用面积一致。",
                            decision="维持原确权登记面积，向信访人解释测量结果。",
                            basis="《不动产登记暂行条例》", result="explain", category="explained")
    Petition.objects.filter(pk=first.pk).update(
        accepted_on=_days_ago(148), replied_on=_days_ago(110), reply_due=_days_ago(88))
    first.refresh_from_db()
    Petition.objects.filter(pk=first.pk).update(national_number="62082326000123")
    services.petition_deliver(petition=first, by=office, delivered_on=timezone.localdate(),
                              method="in_person")
    Petition.objects.filter(pk=first.pk).update(delivered_on=_days_ago(108))
    first.refresh_from_db()
    services.petition_evaluate(petition=first, by=office, evaluation="dissatisfied",
                               comment="对测量结果仍有疑问。")
    Petition.objects.filter(pk=first.pk).update(evaluated_on=_days_ago(100))
    services.petition_close(petition=first, by=office, satisfied=False)
    Petition.objects.filter(pk=first.pk).update(closed_on=_days_ago(75))
    backdate(first, _days_ago(150), step=15)
    # ...and the same person on the same matter again: a repeat petition, at the grid.
    again = register(gm01, grid1, "宅基地确权面积争议（再次反映）", "再次反映宅基地确权面积问题。",
                     [wang], _days_ago(10))
    services.petition_accept(petition=again, by=gm01)
    backdate(again, _days_ago(10))

    # A group petition with five representatives, at town level, extended once.
    reps = [{"name": n, "gender": "male", "age": 50 + i, "is_representative": True,
             "phone": f"1399330{i:04d}"} for i, n in enumerate(
                ["刘长生", "刘富贵", "张金山", "张小军", "马卫东"])]
    group = register(gm01, grid1, "要求兑现土地流转租金", "12户村民反映合作社拖欠土地流转租金。",
                     reps, _days_ago(50), people_count=12)
    services.petition_accept(petition=group, by=gm01)
    services.petition_escalate(petition=group, by=gm01, note="涉及合作社多户，需镇级协调。")
    services.petition_request_extension(petition=group, by=office, days=30,
                                        reason="涉及人数多，需核实每户流转面积")
    services.petition_approve_extension(petition=group, by=leader, note="同意延期30日")
    Petition.objects.filter(pk=group.pk).update(accepted_on=_days_ago(48),
                                                reply_due=_days_ago(48) + datetime.timedelta(90))
    backdate(group, _days_ago(50), step=5)

    # A claim docked to mediation (访调对接).
    docked = register(gm01, grid1, "邻居建房遮挡采光", "邻居新建二层楼房遮挡采光，协商未果。",
                      [{"name": "周春燕", "gender": "female", "age": 38, "phone": "13893307777"}],
                      _days_ago(6))
    services.petition_accept(petition=docked, by=gm01)
    services.petition_dock_to_dispute(petition=docked, by=gm01, parties_agree=True,
                                      respondents=[{"name": "吴国华", "phone": "13993308888"}],
                                      category="neighbour")
    backdate(docked, _days_ago(6))

    # A county matter with a named coordinator; and a replied one awaiting review.
    county = register(office, grid2, "耕地被占用修建养殖场", "反映耕地被违规占用修建养殖场。",
                      [{"name": "郭明亮", "gender": "male", "age": 47}], _days_ago(30))
    services.petition_accept(petition=county, by=office)
    services.petition_escalate(petition=county, by=office, note="需镇级协调。")
    coordinator = Staff.objects.filter(title="镇综治办干部2").first()
    services.petition_assign_coordinator(petition=county, by=office, coordinator=coordinator,
                                         county_department="县自然资源局")
    services.petition_escalate(petition=county, by=office, note="涉及县自然资源局职责。")
    backdate(county, _days_ago(30), step=3)

    replied = register(office, grid2, "低保资格认定", "对取消低保资格有异议。",
                       [{"name": "黄翠萍", "gender": "female", "age": 63}], _days_ago(45))
    services.petition_accept(petition=replied, by=office)
    services.petition_reply(petition=replied, by=office, request="要求恢复低保",
                            facts="经入户核查，家庭收入已超过当地低保标准。",
                            decision="不予恢复，纳入临时救助。", basis="《社会救助暂行办法》",
                            result="not_support", category="helped")
    services.petition_deliver(petition=replied, by=office, delivered_on=timezone.localdate(),
                              method="post")
    Petition.objects.filter(pk=replied.pk).update(replied_on=_days_ago(20),
                                                  delivered_on=_days_ago(17))
    backdate(replied, _days_ago(45), step=10)

    # A confidential accusation about a village cadre's conduct, transferred to the
    # discipline-inspection organ (信访工作条例 第二十二条).
    secret = register(office, grid2, "反映村干部优亲厚友", "反映村委会在危房改造名额分配中优亲厚友。",
                      [{"name": "匿名群众甲", "gender": "male"}], _days_ago(2),
                      form="letter", kind="accusation")
    services.petition_transfer_discipline(petition=secret, by=office, organ="崇信县纪委监委",
                                          transferred_on=_days_ago(1))
    backdate(secret, _days_ago(2), step=1)
