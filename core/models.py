"""Cross-cutting records that belong to no single domain: the in-app inbox."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_mobile, validate_resident_id


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
    phone = models.CharField(_("联系电话"), max_length=11, blank=True,
                             validators=[validate_mobile])
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True,
                                 validators=[validate_resident_id])

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.id_number = (self.id_number or "").upper()
        super().save(*args, **kwargs)


class Notification(models.Model):
    """One message in a user's in-app inbox (站内通知), with a link to the item it is about."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("接收人"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title
