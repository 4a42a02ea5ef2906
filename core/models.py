"""Abstract pieces shared by the case apps that import no app: the person fields of parties
and petitioners, with their validation; phones and ID numbers encrypted at rest."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedCharField
from .validators import validate_mobile, validate_resident_id


def search_hash_field():
    """The keyed hash of an encrypted field, for exact lookups (core.fields)."""
    return models.CharField(max_length=64, blank=True, default="", editable=False,
                            db_index=True)


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
    # Encrypted at rest, plain to the code (core.fields); filter(phone=…) uses the hash.
    phone = EncryptedCharField(_("联系电话"), max_length=11, blank=True,
                               validators=[validate_mobile], hash_field="phone_hash")
    id_number = EncryptedCharField(_("身份证号码"), max_length=18, blank=True,
                                   validators=[validate_resident_id], hash_field="id_number_hash")
    phone_hash = search_hash_field()
    id_number_hash = search_hash_field()

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.id_number = (self.id_number or "").upper()
        super().save(*args, **kwargs)
