"""The demo town: Huangzhai (黄寨镇), Chongxin county, with the source's numbers.

docs/domain.md, "Demo data that must match the source": 11 large grids, 60 small grids,
12 mediation committees, 2 centres, 5 service windows, one hall and five rooms, 5
governance-office and 2 judicial-office staff, 56 grid staff, 32 five-elders mediators.
Names the source does not give are invented; people are fictional. ``load()`` is idempotent:
every row is found by a natural key before it is created.
"""

from __future__ import annotations

import datetime
import itertools
import random

from django.conf import settings
from django.contrib.auth import get_user_model

from . import services
from .models import (
    County,
    FiveElderKind,
    GovernanceCentre,
    Household,
    LargeGrid,
    MediationCommittee,
    Role,
    Room,
    ServiceUnit,
    ServiceWindow,
    SmallGrid,
    Staff,
    Town,
    WorkingGroup,
)

DEMO_START = datetime.date(2020, 1, 1)

VILLAGES = [
    ("黄寨村", LargeGrid.Kind.VILLAGE, 6),
    ("马寨村", LargeGrid.Kind.VILLAGE, 6),
    ("甘庄村", LargeGrid.Kind.VILLAGE, 6),
    ("柏树村", LargeGrid.Kind.VILLAGE, 6),
    ("南庄村", LargeGrid.Kind.VILLAGE, 6),
    ("唐寨村", LargeGrid.Kind.VILLAGE, 5),
    ("刘家沟村", LargeGrid.Kind.VILLAGE, 5),
    ("张家湾村", LargeGrid.Kind.VILLAGE, 5),
    ("史家塬村", LargeGrid.Kind.VILLAGE, 5),
    ("吴家庄村", LargeGrid.Kind.VILLAGE, 5),
    ("黄寨社区", LargeGrid.Kind.COMMUNITY, 5),
]
# Grid members per large grid (40 in all); with 11 grid leaders and 5 informants: 56 grid staff.
MEMBERS_PER_GRID = [4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3]
INFORMANT_GRIDS = [7, 8, 9, 10, 11]
# Five-elders mediators: 8 on the town committee, 3 on each of the first two village
# committees and 2 on the other nine: 32. With its chair each committee has 3 to 9 members
# (人民调解法 第八条).
TOWN_COMMITTEE_MEDIATORS = 8
VILLAGE_COMMITTEE_MEDIATORS = [3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2]

WINDOWS = [
    (1, "矛盾纠纷调处窗口", "矛盾纠纷受理、调解预约、调解协议司法确认指引"),
    (2, "信访接待窗口", "来信来访登记、信访事项代办、导访"),
    (3, "法律服务窗口", "法律咨询、法律援助申请、公证指引"),
    (4, "综治服务窗口", "网格事务、平安建设、特殊人群服务"),
    (5, "便民服务窗口", "社会救助、民政事务、证明材料代办"),
]
ROOMS = [
    (Room.Kind.RECEPTION_HALL, "群众接待大厅", "来访群众登记、分流、等候"),
    (Room.Kind.MONITORING, "监控研判室", "视频监控、矛盾纠纷分析研判"),
    (Room.Kind.STUDIO, "赵锦铎工作室", "“五老”调解、法律宣传和咨询"),
    (Room.Kind.MEDIATION, "矛盾纠纷调解室", "当事人面对面调解"),
    (Room.Kind.POLICE, "甘庄警务室", "派出所驻点、民转刑风险处置"),
    (Room.Kind.TALK, "谈心谈话室", "心理疏导、谈心谈话"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = [
    "建国", "秀英", "玉兰", "志强", "桂芳", "海燕", "永红", "国庆", "淑珍", "明德", "春梅", "文华",
    "德胜", "丽娟", "晓东", "红霞", "振华", "爱民", "学军", "翠花", "宏伟", "丽萍", "保平", "晓燕",
    "世英", "金花", "俊杰", "亚军", "彩霞", "长青", "玉梅", "立新", "凤英", "耀宗", "静", "伟",
    "敏", "磊", "军", "芳", "勇", "娟", "涛", "霞", "强", "艳", "平", "刚",
]
FEMALE_HINTS = set("秀英兰芳燕红珍梅华丽娟霞翠萍花凤静敏艳")


def _people(seed: int = 2020):
    """Deterministic, unique, plausible names."""
    combos = [s + g for s, g in itertools.product(SURNAMES, GIVEN)]
    random.Random(seed).shuffle(combos)
    return iter(combos)


def _gender(name: str) -> str:
    return Staff.Gender.FEMALE if FEMALE_HINTS & set(name[1:]) else Staff.Gender.MALE


class _Loader:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.names = _people()
        self.User = get_user_model()

    def staff(self, town, title, username=None):
        """The next invented person, found again by (town, title) on a second run."""
        person = Staff.objects.filter(town=town, title=title).first()
        if person is None:
            name = next(self.names)
            while Staff.objects.filter(town=town, name=name).exists():
                name = next(self.names)
            person = Staff.objects.create(town=town, name=name, gender=_gender(name),
                                          title=title, phone="")
        if username:
            self.login(person, username)
        return person

    def women_on_every_committee(self, committees):
        """Every committee has a woman member (人民调解法 第八条): where the invented names gave
        none, its last mediator without a login is given a woman's name."""
        female = (name for name in _people(seed=2026) if _gender(name) == Staff.Gender.FEMALE)
        for committee in committees:
            members = Staff.objects.filter(assignments__committee=committee).distinct()
            if members.filter(gender=Staff.Gender.FEMALE).exists():
                continue
            person = members.filter(user__isnull=True).order_by("-id").first()
            name = next(female)
            while Staff.objects.filter(town=committee.town, name=name).exists():
                name = next(female)
            person.name, person.gender = name, Staff.Gender.FEMALE
            person.save(update_fields=["name", "gender"])

    def login(self, person, username, superuser=False):
        user, _created = self.User.objects.get_or_create(
            username=username, defaults={"first_name": person.name if person else "",
                                         "email": f"{username}@demo.huangzhai.invalid"})
        if person is not None and user.first_name != person.name:
            user.first_name = person.name
            user.save(update_fields=["first_name"])
        if superuser and not (user.is_superuser and user.is_staff):
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        if not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if person is not None and person.user_id != user.id:
            person.user = user
            person.save(update_fields=["user"])
        return user

    def assign(self, person, role, obj, **extra):
        return services.role_assign(staff=person, role=role, scope_object=obj,
                                    starts_on=DEMO_START, **extra)

    def run(self):
        county, _ = County.objects.get_or_create(code="620823", defaults={"name": "崇信县"})
        town, _ = Town.objects.get_or_create(
            code="620823103", defaults={"county": county, "name": "黄寨镇", "short_name": "黄寨"})

        large_grids, small_grids = [], {}
        for number, (name, kind, count) in enumerate(VILLAGES, start=1):
            lg, _ = LargeGrid.objects.get_or_create(
                town=town, number=number, defaults={"name": name, "kind": kind})
            large_grids.append(lg)
            small_grids[number] = [
                SmallGrid.objects.get_or_create(
                    large_grid=lg, number=n,
                    defaults={"name": f"{name}第{n}网格", "description": f"{name}{n}组"})[0]
                for n in range(1, count + 1)
            ]

        town_committee, _ = MediationCommittee.objects.get_or_create(
            town=town, level=MediationCommittee.Level.TOWN,
            defaults={"name": "黄寨镇人民调解委员会"})
        village_committees = [
            MediationCommittee.objects.get_or_create(
                town=town, large_grid=lg,
                defaults={"level": MediationCommittee.Level.VILLAGE,
                          "name": f"{lg.name}人民调解委员会"})[0]
            for lg in large_grids
        ]

        centre, _ = GovernanceCentre.objects.get_or_create(
            town=town, name="黄寨镇综治中心",
            defaults={"address": "黄寨镇政府院内", "office_rooms": 5, "floor_area": 120})
        GovernanceCentre.objects.get_or_create(
            town=town, name="马寨村综治中心",
            defaults={"large_grid": large_grids[1], "address": "马寨村村委会"})
        for number, name, services_text in WINDOWS:
            ServiceWindow.objects.get_or_create(
                centre=centre, number=number, defaults={"name": name, "services": services_text})
        for kind, name, purpose in ROOMS:
            Room.objects.get_or_create(centre=centre, kind=kind,
                                       defaults={"name": name, "purpose": purpose})

        # --- People -------------------------------------------------------------------------
        self.login(None, "admin", superuser=True)
        leader = self.staff(town, "镇党委委员、政法委员", "leader")
        self.assign(leader, Role.TOWN_LEADERSHIP, town)
        secretary = self.staff(town, "镇党委书记")
        self.assign(secretary, Role.TOWN_LEADERSHIP, town)
        mayor = self.staff(town, "镇长")
        self.assign(mayor, Role.TOWN_LEADERSHIP, town)

        chair = self.staff(town, "镇人民调解委员会主任", "chair")
        self.assign(chair, Role.COMMITTEE_CHAIR, town_committee)

        for i in range(1, 6):
            person = self.staff(town, f"镇综治办干部{i}", "office" if i == 1 else None)
            self.assign(person, Role.GOVERNANCE_OFFICE, town)
        for i in range(1, 3):
            person = self.staff(town, f"镇司法所干部{i}", "judicial" if i == 1 else None)
            self.assign(person, Role.JUDICIAL_OFFICE, town)
        for i in range(1, 3):
            person = self.staff(town, f"镇信访办干部{i}", "petition" if i == 1 else None)
            self.assign(person, Role.PETITION_OFFICE, town)
        police = self.staff(town, "派出所甘庄警务室民警", "police")
        self.assign(police, Role.POLICE_LIAISON, town)

        # 三包: Party committee members each cover an area, section-level leaders a village.
        areas = [large_grids[0:3], large_grids[3:6], large_grids[6:9], large_grids[9:11]]
        party_members = [leader] + [self.staff(town, f"镇党委委员{i}") for i in range(2, 5)]
        for person, area in zip(party_members, areas, strict=True):
            for lg in area:
                self.assign(person, Role.PARTY_COMMITTEE_MEMBER, lg)
        for lg in large_grids:
            person = self.staff(town, f"科级领导（包{lg.name}）")
            self.assign(person, Role.SECTION_LEADER, lg)

        # Grid staff: 11 leaders, 40 members, 5 informants.
        for index, lg in enumerate(large_grids):
            number = index + 1
            gl = self.staff(town, f"{lg.name}网格长", f"gl{number:02d}" if number <= 2 else None)
            self.assign(gl, Role.GRID_LEADER, lg)
            # The village committee's chair is the village's grid leader.
            self.assign(gl, Role.COMMITTEE_CHAIR, village_committees[index])
            grids = small_grids[number]
            members = MEMBERS_PER_GRID[index]
            # The first members take one small grid each, the rest two.
            doubles = len(grids) - members
            singles = members - doubles
            chunks = [grids[i:i + 1] for i in range(singles)]
            rest = grids[singles:]
            chunks += [rest[i:i + 2] for i in range(0, len(rest), 2)]
            for m, chunk in enumerate(chunks, start=1):
                username = f"gm{number:02d}" if number <= 2 and m == 1 else None
                gm = self.staff(town, f"{lg.name}网格员{m}", username)
                for sg in chunk:
                    self.assign(gm, Role.GRID_MEMBER, sg)
            if number in INFORMANT_GRIDS:
                informant = self.staff(town, f"{lg.name}信息员")
                self.assign(informant, Role.INFORMANT, grids[-1])

        # Five-elders mediators.
        kinds = list(FiveElderKind.values)
        for i in range(1, TOWN_COMMITTEE_MEDIATORS + 1):
            person = self.staff(town, f"镇调委会“五老”调解员{i}")
            self.assign(person, Role.MEDIATOR, town_committee, is_five_elders=True,
                        elder_kind=kinds[i % len(kinds)])
        for index, committee in enumerate(village_committees):
            for m in range(1, VILLAGE_COMMITTEE_MEDIATORS[index] + 1):
                username = f"med{index + 1:02d}" if index < 2 and m == 1 else None
                person = self.staff(town, f"{committee.large_grid.name}“五老”调解员{m}", username)
                self.assign(person, Role.MEDIATOR, committee, is_five_elders=True,
                            elder_kind=kinds[(index + m) % len(kinds)])

        self.women_on_every_committee([town_committee, *village_committees])

        # The town legal-service office and the five-elders studio in the centre, each with
        # logins that see only the work assigned to their unit.
        studio, _ = ServiceUnit.objects.get_or_create(
            town=town, name="赵锦铎工作室",
            defaults={"kind": ServiceUnit.Kind.STUDIO,
                      "room": Room.objects.filter(centre=centre, kind=Room.Kind.STUDIO).first()})
        office, _ = ServiceUnit.objects.get_or_create(
            town=town, name="黄寨镇法律服务所",
            defaults={"kind": ServiceUnit.Kind.LEGAL_SERVICE_OFFICE})
        elder = self.staff(town, "赵锦铎工作室“五老”工作人员", "studio")
        self.assign(elder, Role.UNIT_STAFF, studio)
        for i in range(1, 3):
            worker = self.staff(town, f"黄寨镇法律服务所法律服务工作者{i}",
                                "lawyer" if i == 1 else None)
            self.assign(worker, Role.UNIT_STAFF, office)

        # 包户: town and village cadres each cover a few households of the first two villages.
        for index, lg in enumerate(large_grids[:2]):
            cadre = self.staff(town, f"镇村干部（包{lg.name}农户）")
            for sg in small_grids[index + 1][:2]:
                for h in range(1, 3):
                    household, _ = Household.objects.get_or_create(
                        small_grid=sg, head_name=f"{sg.name}{h}号户",
                        defaults={"address": f"{lg.name}{sg.number}组{h}号", "members": 3 + h})
                    self.assign(cadre, Role.CADRE, household)

        county_user = self.staff(None, "崇信县委政法委干部", "county")
        self.assign(county_user, Role.COUNTY_USER, county)

        # Working groups led by the town Party committee.
        groups = [
            (WorkingGroup.Kind.GOVERNANCE, "黄寨镇社会治安综合治理委员会工作领导小组"),
            (WorkingGroup.Kind.STABILITY_PETITION, "黄寨镇稳控安保信访工作领导小组"),
            (WorkingGroup.Kind.EMERGENCY, "黄寨镇稳控应急小组"),
        ]
        members = [secretary, mayor, leader, chair, police]
        for kind, name in groups:
            group, _ = WorkingGroup.objects.get_or_create(
                town=town, kind=kind, defaults={"name": name, "head": secretary})
            group.members.add(*members)

        services.organisation_snapshot_take(town=town)
        return town


def load(stdout=None):
    """Load or refresh the demo town; returns it."""
    return _Loader(stdout).run()
