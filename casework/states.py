"""Choices every case app shares."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Evaluation(models.TextChoices):
    """A party's or petitioner's own evaluation of the handling (信访工作条例 第二十一条; the
    same three grades for a mediated dispute)."""

    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
