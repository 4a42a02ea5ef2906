"""Abstract pieces shared by the case apps that import no app: the person fields of parties
and petitioners, with their validation; phones and ID numbers encrypted at rest."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedCharField
from .masking import mask_id_number, mask_phone
from .validators import validate_mobile, validate_resident_id


def search_hash_field():
    """The keyed hash of an encrypted field, for exact lookups (core.fields)."""
    return models.CharField(max_length=64, blank=True, default="", editable=False,
                            db_index=True)


def masked_field(max_length: int):
    """The masked form of an encrypted field, kept by it (``core.fields``), for lists."""
    return models.CharField(max_length=max_length, blank=True, default="", editable=False)


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class PersonDetails(models.Model):
    """A member of the public named in a case: dispute parties and petitioners share these
    fields and their validation (11-digit mobile, resident ID with its check digit)."""

    name = models.CharField(_("姓名或名称"), max_length=80)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True, default="汉族")
    age = models.PositiveSmallIntegerField(_("年龄"), null=True, blank=True,
                                           validators=[MaxValueValidator(130)])
    occupation = models.CharField(_("职业"), max_length=50, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    # Encrypted at rest, plain to the code (core.fields); filter(phone=…) uses the hash; the
    # lists read the masks kept beside them.
    phone = EncryptedCharField(_("联系电话"), max_length=11, blank=True,
                               validators=[validate_mobile], hash_field="phone_hash",
                               mask_field="phone_masked", mask=mask_phone)
    id_number = EncryptedCharField(_("身份证号码"), max_length=18, blank=True,
                                   validators=[validate_resident_id], hash_field="id_number_hash",
                                   mask_field="id_number_masked", mask=mask_id_number)
    phone_hash = search_hash_field()
    id_number_hash = search_hash_field()
    phone_masked = masked_field(11)
    id_number_masked = masked_field(18)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.id_number = (self.id_number or "").upper()
        super().save(*args, **kwargs)


class IdempotencyKey(models.Model):
    """A create the client asked for once: the token its form or ``Idempotency-Key`` header
    carried, and what the first request answered. The unique constraint makes two requests
    with the same token, even at the same moment, create one row (``core.idempotency``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("用户"))
    kind = models.CharField(_("操作"), max_length=120)
    token = models.CharField(_("令牌"), max_length=64)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    response_status = models.PositiveSmallIntegerField(_("响应状态"), null=True)
    location = models.CharField(_("跳转地址"), max_length=300, blank=True)
    response_body = models.JSONField(_("响应内容"), null=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("幂等令牌")
        verbose_name_plural = _("幂等令牌")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "token"],
                                               name="idempotency_key_once_per_user")]

    def __str__(self):
        return f"{self.kind} {self.token}"


class Heartbeat(models.Model):
    """When a background process last showed it was alive: the worker (``worker``) and each
    periodic entry of the beat schedule (its name). Read by ``/health/``."""

    name = models.CharField(_("名称"), max_length=80, unique=True)
    first_at = models.DateTimeField(_("首次"), auto_now_add=True)
    last_at = models.DateTimeField(_("最近"))

    class Meta:
        verbose_name = _("心跳")
        verbose_name_plural = _("心跳")

    def __str__(self):
        return self.name


class PersonalDataAccess(models.Model):
    """One look at full personal data (a case's phones and ID numbers) or one export of
    personal data: who, when, which record and why (《个人信息保护法》第五十一条、第五十五条)."""

    class Kind(models.TextChoices):
        VIEW = "view", _("查看")
        EXPORT = "export", _("导出")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("查看人"))
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("方式"), max_length=8, choices=Kind.choices, default=Kind.VIEW)
    # Which record, by model label ("disputes.dispute") and id: core names no app's model.
    record_type = models.CharField(_("记录类型"), max_length=40)
    record_id = models.PositiveBigIntegerField(_("记录编号"), null=True, blank=True)
    record_label = models.CharField(_("记录"), max_length=120)
    # The record's town, for the town leadership's access log.
    town_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    reason = models.CharField(_("事由"), max_length=200)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self):
        return f"{self.record_label} · {self.get_kind_display()}"


class SavedFilter(models.Model):
    """A user's named filter of a list page: the query string it applies. Only its owner
    sees, applies or deletes it (``core.saved_filters``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="saved_filters", verbose_name=_("用户"))
    page = models.CharField(_("页面"), max_length=60)  # the list's URL name
    name = models.CharField(_("名称"), max_length=40)
    query = models.CharField(_("筛选条件"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("常用筛选")
        verbose_name_plural = _("常用筛选")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "page", "name"],
                                               name="saved_filter_name_once_per_page")]

    def __str__(self):
        return self.name


class ExportJob(models.Model):
    """A large export written on the worker (``core.export_jobs``): the page follows its
    progress and offers the file when it is ready. Only the user who asked sees it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在导出")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        # The file was deleted after EXPORT_RETENTION_DAYS; the row stays as the record of who
        # exported what and when.
        EXPIRED = "expired", _("已过期")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="export_jobs", verbose_name=_("用户"))
    kind = models.CharField(_("导出内容"), max_length=60)  # a registered exporter
    query = models.CharField(_("筛选条件"), max_length=2000, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.QUEUED)
    total = models.PositiveIntegerField(_("总行数"), default=0)  # estimated above 10,000
    done = models.PositiveIntegerField(_("已导出行数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=120, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expired_at = models.DateTimeField(_("文件删除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} #{self.pk}"
