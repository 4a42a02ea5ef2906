"""Validators for personal data of parties and petitioners (shared by disputes and petitions)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
ID_RE = re.compile(r"^\d{17}[\dX]$")
# GB 11643-1999: weights of the first 17 digits, and the check character for sum mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def validate_mobile(value: str) -> None:
    """An 11-digit mainland mobile number (1[3-9]xxxxxxxxx)."""
    if value and not MOBILE_RE.match(value):
        raise ValidationError(_("请输入11位手机号码，例如 13812345678。"), code="invalid_mobile")


def resident_id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def validate_resident_id(value: str) -> None:
    """An 18-character resident ID number whose last character is the correct check digit."""
    if not value:
        return
    value = value.upper()
    if not ID_RE.match(value):
        raise ValidationError(_("身份证号码应为18位，前17位为数字，最后一位为数字或X。"),
                              code="invalid_id_format")
    if resident_id_check_char(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对。"), code="invalid_id_checksum")
