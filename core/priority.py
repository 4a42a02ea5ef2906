"""The priority groups of the source's "人性化的便民服务" (docs/domain.md, "Five-elders mediation"):
vulnerable groups, poor households and people receiving assistance are served first. Shared
by dispute parties, legal-aid applicants and consultations, so the figures group them alike."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PriorityGroup(models.TextChoices):
    VULNERABLE = "vulnerable", _("弱势群体")
    POOR_HOUSEHOLD = "poor_household", _("贫困户")
    ASSISTANCE_RECIPIENT = "assistance_recipient", _("应援对象")
    OTHER = "other", _("其他需优先服务人员")
