from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    """The kernel every case app builds on: the transition runner, the action declarations
    and what pages, API and admin derive from them, the history row's shape."""

    name = "casework"
    verbose_name = _("办案公共")
