from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Utilities every app may use and that import no app of the project."""

    name = "core"
    verbose_name = _("公共")
