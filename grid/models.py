"""The town's organisation (docs/domain.md, "三项建设"): places, committees, premises and people.

county → town → large grid (大网格, one per village or community) → small grid (小网格) →
household (户, optional). People (``Staff``) hold role assignments, each scoped to exactly one
object of that ladder; the scope rule in ``grid.scope`` reads only these assignments.
Nothing here is deleted: an assignment ends by getting an ``ends_on`` date.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedCharField
from core.models import search_hash_field


class County(models.Model):
    """County (县)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    code = models.CharField(_("代码"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("县")
        verbose_name_plural = _("县")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Town(models.Model):
    """Town (镇): the unit that runs a comprehensive-governance centre."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="towns",
                               verbose_name=_("县"))
    name = models.CharField(_("名称"), max_length=50)
    short_name = models.CharField(
        _("简称"), max_length=10,
        help_text=_("用于文书编号，例如“黄寨人调〔2026〕42号”中的“黄寨”。"))
    code = models.CharField(_("代码"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("镇")
        verbose_name_plural = _("镇")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="grid_town_unique_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grid:town_detail", args=[self.pk])


def large_grid_label(number, name) -> str:
    """How a large grid is named everywhere (also in lists read as values)."""
    return _("第%(number)s大网格（%(name)s）") % {"number": number, "name": name}


class LargeGrid(models.Model):
    """Large grid (大网格): one village or community of a town."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("行政村")
        COMMUNITY = "community", _("社区")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="large_grids",
                             verbose_name=_("镇"))
    number = models.PositiveSmallIntegerField(_("编号"))
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.VILLAGE)

    class Meta:
        verbose_name = _("大网格")
        verbose_name_plural = _("大网格")
        ordering = ["town_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["town", "number"], name="grid_largegrid_unique_number"),
        ]

    def __str__(self):
        return large_grid_label(self.number, self.name)

    def get_absolute_url(self):
        return reverse("grid:large_grid_detail", args=[self.pk])


class SmallGrid(models.Model):
    """Small grid (小网格): a part of a village, the grid member's beat."""

    large_grid = models.ForeignKey(LargeGrid, on_delete=models.PROTECT,
                                   related_name="small_grids", verbose_name=_("大网格"))
    number = models.PositiveSmallIntegerField(_("编号"))
    name = models.CharField(_("名称"), max_length=50)
    description = models.CharField(_("范围说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("小网格")
        verbose_name_plural = _("小网格")
        ordering = ["large_grid__town_id", "large_grid__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["large_grid", "number"],
                                    name="grid_smallgrid_unique_number"),
        ]

    def __str__(self):
        return self.name


class Household(models.Model):
    """Household (户), optional: the unit a cadre covers under "包户"."""

    small_grid = models.ForeignKey(SmallGrid, on_delete=models.PROTECT, related_name="households",
                                   verbose_name=_("小网格"))
    head_name = models.CharField(_("户主"), max_length=50)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    members = models.PositiveSmallIntegerField(_("人口数"), default=1)

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["small_grid_id", "head_name"]

    def __str__(self):
        return _("%(name)s户") % {"name": self.head_name}


class MediationCommittee(models.Model):
    """People's mediation committee (人民调解委员会): one for the town, one per village."""

    class Level(models.TextChoices):
        TOWN = "town", _("镇级")
        VILLAGE = "village", _("村（社区）级")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="committees",
                             verbose_name=_("镇"))
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    large_grid = models.OneToOneField(
        LargeGrid, on_delete=models.PROTECT, null=True, blank=True, related_name="committee",
        verbose_name=_("所在大网格"), help_text=_("村（社区）级调委会必填。"))
    name = models.CharField(_("名称"), max_length=80)

    class Meta:
        verbose_name = _("人民调解委员会")
        verbose_name_plural = _("人民调解委员会")
        ordering = ["town_id", "-level", "large_grid__number"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="town", large_grid__isnull=True)
                           | Q(level="village", large_grid__isnull=False)),
                name="grid_committee_level_matches_grid",
            ),
            models.UniqueConstraint(fields=["town"], condition=Q(level="town"),
                                    name="grid_committee_one_town_level"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grid:committee_detail", args=[self.pk])

    def clean(self):
        if self.large_grid_id and self.large_grid.town_id != self.town_id:
            raise ValidationError({"large_grid": _("大网格不属于该镇。")})


class GovernanceCentre(models.Model):
    """Comprehensive-governance centre (综治中心)."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="centres",
                             verbose_name=_("镇"))
    large_grid = models.ForeignKey(
        LargeGrid, on_delete=models.PROTECT, null=True, blank=True, related_name="centres",
        verbose_name=_("所在村"), help_text=_("村级综治中心填写所在大网格；镇综治中心留空。"))
    name = models.CharField(_("名称"), max_length=80)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    office_rooms = models.PositiveSmallIntegerField(_("办公用房（间）"), null=True, blank=True)
    floor_area = models.DecimalField(_("面积（平方米）"), max_digits=8, decimal_places=1,
                                     null=True, blank=True)

    class Meta:
        verbose_name = _("综治中心")
        verbose_name_plural = _("综治中心")
        ordering = ["town_id", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grid:centre_detail", args=[self.pk])


class ServiceWindow(models.Model):
    """Service window (服务窗口) of a centre: one-stop service."""

    centre = models.ForeignKey(GovernanceCentre, on_delete=models.PROTECT,
                               related_name="windows", verbose_name=_("综治中心"))
    number = models.PositiveSmallIntegerField(_("窗口号"))
    name = models.CharField(_("名称"), max_length=80)
    services = models.CharField(_("办理事项"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("服务窗口")
        verbose_name_plural = _("服务窗口")
        ordering = ["centre_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="grid_window_unique_number"),
        ]

    def __str__(self):
        return _("%(number)s号窗口 %(name)s") % {"number": self.number, "name": self.name}


class Room(models.Model):
    """A room of a centre; the town centre is laid out as "one hall, five rooms" (一厅五室)."""

    class Kind(models.TextChoices):
        RECEPTION_HALL = "reception_hall", _("群众接待大厅")
        MONITORING = "monitoring", _("监控研判室")
        STUDIO = "studio", _("调解工作室")
        MEDIATION = "mediation", _("矛盾纠纷调解室")
        POLICE = "police", _("警务室")
        TALK = "talk", _("谈心谈话室")
        OTHER = "other", _("其他")

    centre = models.ForeignKey(GovernanceCentre, on_delete=models.PROTECT, related_name="rooms",
                               verbose_name=_("综治中心"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=80)
    purpose = models.CharField(_("用途"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("功能室")
        verbose_name_plural = _("功能室")
        ordering = ["centre_id", "id"]

    def __str__(self):
        return self.name


class ServiceUnit(models.Model):
    """A unit of the town that takes work of its own beside the ladder (docs/domain.md,
    "Five-elders mediation"): the town legal-service office (法律服务所) and the five-elders
    studio (e.g. 赵锦铎工作室), both seated in the governance centre and working with the
    judicial office on screening and resolving disputes, legal publicity and consultation.
    Disputes, legal-aid matters and consultations can be assigned to a unit; its staff
    (``Role.UNIT_STAFF``) see what is assigned to it."""

    class Kind(models.TextChoices):
        LEGAL_SERVICE_OFFICE = "legal_service_office", _("法律服务所")
        STUDIO = "studio", _("“五老”调解工作室")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="service_units",
                             verbose_name=_("镇"))
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=80)
    room = models.ForeignKey("Room", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="service_units", verbose_name=_("所在功能室"))

    class Meta:
        verbose_name = _("服务单位")
        verbose_name_plural = _("服务单位")
        ordering = ["town_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="grid_service_unit_unique_name"),
        ]

    def __str__(self):
        return self.name


class Staff(models.Model):
    """A person who works in the mediation chain (调解链); may or may not have a login."""

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="staff", verbose_name=_("登录账号"))
    town = models.ForeignKey(Town, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="staff", verbose_name=_("所属镇"),
                             help_text=_("县级用户可留空。"))
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True, hash_field="phone_hash")
    phone_hash = search_hash_field()
    title = models.CharField(_("单位及职务"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        ordering = ["town_id", "name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grid:staff_detail", args=[self.pk])


class WorkingGroup(models.Model):
    """A working group led by the town Party committee (领导小组)."""

    class Kind(models.TextChoices):
        GOVERNANCE = "governance", _("社会治安综合治理委员会工作领导小组")
        STABILITY_PETITION = "stability_petition", _("稳控安保信访工作领导小组")
        EMERGENCY = "emergency", _("稳控应急小组")
        OTHER = "other", _("其他")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="working_groups",
                             verbose_name=_("镇"))
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    head = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("组长"))
    members = models.ManyToManyField(Staff, blank=True, related_name="working_groups",
                                     verbose_name=_("成员"))

    class Meta:
        verbose_name = _("工作领导小组")
        verbose_name_plural = _("工作领导小组")
        ordering = ["town_id", "id"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    """The roles of the mediation chain and the town's offices (docs/domain.md, glossary)."""

    GRID_MEMBER = "grid_member", _("网格员")
    INFORMANT = "informant", _("信息员")
    GRID_LEADER = "grid_leader", _("网格长")
    MEDIATOR = "mediator", _("调解员")
    COMMITTEE_CHAIR = "committee_chair", _("调委会主任")
    GOVERNANCE_OFFICE = "governance_office", _("综治办")
    JUDICIAL_OFFICE = "judicial_office", _("司法所")
    PETITION_OFFICE = "petition_office", _("信访办")
    POLICE_LIAISON = "police_liaison", _("派出所联络员")
    TOWN_LEADERSHIP = "town_leadership", _("镇领导")
    PARTY_COMMITTEE_MEMBER = "party_committee_member", _("党委委员（包片）")
    SECTION_LEADER = "section_leader", _("科级领导（包村）")
    CADRE = "cadre", _("镇村干部（包户）")
    COUNTY_USER = "county_user", _("县级用户")
    UNIT_STAFF = "unit_staff", _("法律服务所、调解工作室工作人员")


# What each role is scoped to: exactly this one field of the assignment is set.
ROLE_SCOPE_FIELD = {
    Role.GRID_MEMBER: "small_grid",
    Role.INFORMANT: "small_grid",
    Role.GRID_LEADER: "large_grid",
    Role.MEDIATOR: "committee",
    Role.COMMITTEE_CHAIR: "committee",
    Role.GOVERNANCE_OFFICE: "town",
    Role.JUDICIAL_OFFICE: "town",
    Role.PETITION_OFFICE: "town",
    Role.POLICE_LIAISON: "town",
    Role.TOWN_LEADERSHIP: "town",
    Role.PARTY_COMMITTEE_MEMBER: "large_grid",
    Role.SECTION_LEADER: "large_grid",
    Role.CADRE: "household",
    Role.COUNTY_USER: "county",
    Role.UNIT_STAFF: "unit",
}
SCOPE_FIELDS = ("county", "town", "committee", "large_grid", "small_grid", "household", "unit")
GRID_STAFF_ROLES = (Role.GRID_LEADER, Role.GRID_MEMBER, Role.INFORMANT)
# 三包: the leaders in charge of a large grid, the Party committee member (包片) and the
# section-level leader (包村).
LEADER_IN_CHARGE_ROLES = (Role.PARTY_COMMITTEE_MEMBER, Role.SECTION_LEADER)
TOWN_ROLES = tuple(role for role, field in ROLE_SCOPE_FIELD.items() if field == "town")


def _exactly_one_scope_matches_role():
    condition = Q()
    for role, field in ROLE_SCOPE_FIELD.items():
        set_fields = {f"{name}__isnull": name != field for name in SCOPE_FIELDS}
        condition |= Q(role=role, **set_fields)
    return condition


class FiveElderKind(models.TextChoices):
    """The "five elders" (五老) a mediator may be."""

    PARTY_MEMBER = "party_member", _("老党员")
    CADRE = "cadre", _("老干部")
    TEACHER = "teacher", _("老教师")
    SOLDIER = "soldier", _("老军人")
    MODEL_WORKER = "model_worker", _("老模范")


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, on=None):
        """Assignments in force on ``on`` (today in Asia/Shanghai by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on),
                           voided_at__isnull=True)


class RoleAssignment(models.Model):
    """A role a person holds over one part of the organisation, from a date, maybe to a date.

    Ended assignments are kept: history is never deleted.
    """

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="assignments",
                              verbose_name=_("工作人员"))
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, db_index=True)
    county = models.ForeignKey(County, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("县"))
    town = models.ForeignKey(Town, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("镇"))
    committee = models.ForeignKey(MediationCommittee, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="assignments",
                                  verbose_name=_("调委会"))
    large_grid = models.ForeignKey(LargeGrid, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="assignments", verbose_name=_("大网格"))
    small_grid = models.ForeignKey(SmallGrid, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="assignments", verbose_name=_("小网格"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="assignments", verbose_name=_("户"))
    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="assignments", verbose_name=_("服务单位"))
    is_five_elders = models.BooleanField(_("“五老”调解员"), default=False)
    elder_kind = models.CharField(_("“五老”类别"), max_length=16, choices=FiveElderKind.choices,
                                  blank=True)
    starts_on = models.DateField(_("起始日期"), default=timezone.localdate)
    ends_on = models.DateField(_("终止日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # Entered in error (a roster import undone): never in force, kept with the reason.
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色任职")
        verbose_name_plural = _("角色任职")
        ordering = ["staff_id", "role", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one_scope_matches_role(),
                                   name="grid_assignment_scope_matches_role"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True)
                                   | Q(ends_on__gte=models.F("starts_on")),
                                   name="grid_assignment_ends_after_start"),
            models.CheckConstraint(condition=Q(is_five_elders=False, elder_kind="")
                                   | Q(is_five_elders=True, role=Role.MEDIATOR),
                                   name="grid_assignment_five_elders_are_mediators"),
        ]
        indexes = [models.Index(fields=["role", "starts_on", "ends_on"])]

    def __str__(self):
        return f"{self.staff} · {self.get_role_display()} · {self.scope_object}"

    @property
    def scope_field(self) -> str:
        return ROLE_SCOPE_FIELD[Role(self.role)]

    @property
    def scope_object(self):
        return getattr(self, ROLE_SCOPE_FIELD[Role(self.role)], None)

    def is_active(self, on=None) -> bool:
        on = on or timezone.localdate()
        return (self.voided_at is None and self.starts_on <= on
                and (self.ends_on is None or self.ends_on >= on))

    def clean(self):
        errors = {}
        if not self.role:
            return
        wanted = ROLE_SCOPE_FIELD[Role(self.role)]
        for name in SCOPE_FIELDS:
            has_value = getattr(self, f"{name}_id") is not None
            if name == wanted and not has_value:
                errors[name] = _("该角色必须指定此项。")
            elif name != wanted and has_value:
                errors[name] = _("该角色不适用此项，请留空。")
        if self.is_five_elders and self.role != Role.MEDIATOR:
            errors["is_five_elders"] = _("只有调解员可以标记为“五老”调解员。")
        if self.elder_kind and not self.is_five_elders:
            errors["elder_kind"] = _("未标记“五老”调解员时不能选择类别。")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("终止日期不能早于起始日期。")
        if errors:
            raise ValidationError(errors)


class OrganisationSnapshot(models.Model):
    """The town's organisation counted on a day, kept so that figures read the same later."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="snapshots",
                             verbose_name=_("镇"))
    taken_on = models.DateField(_("统计日期"))
    figures = models.JSONField(_("数据"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("组织架构统计")
        verbose_name_plural = _("组织架构统计")
        ordering = ["town_id", "-taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["town", "taken_on"], name="grid_snapshot_one_per_day"),
        ]

    def __str__(self):
        return f"{self.town} {self.taken_on}"


class TownSequence(models.Model):
    """The last number issued per town, kind of document and year (e.g. 黄寨人调〔2026〕42号)."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("镇"))
    kind = models.CharField(_("文书类型"), max_length=32)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用编号"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")
        constraints = [
            models.UniqueConstraint(fields=["town", "kind", "year"], name="grid_sequence_unique"),
        ]

    def __str__(self):
        return f"{self.town} {self.kind} {self.year}: {self.last}"


class OrganisationStamp(models.Model):
    """One row whose ``stamp`` changes, by database triggers (``grid.stamp``), in the same
    statement as any write to the tables a user's scope is computed from (staff, role
    assignments, grids, households, committees, towns, service units), whatever writes them.
    ``grid.scope`` keeps each user's computed scope under this stamp, so a scope is reused
    only while nothing it was computed from has changed."""

    stamp = models.CharField(_("版本"), max_length=64)

    class Meta:
        verbose_name = _("组织架构版本")
        verbose_name_plural = _("组织架构版本")

    def __str__(self):
        return self.stamp
