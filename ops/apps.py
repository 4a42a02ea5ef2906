from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """The operator's tools, at the top of the stack so that they may import every app: the
    benchmark of pages, exports and sweeps."""

    name = "ops"
    verbose_name = _("运维")
