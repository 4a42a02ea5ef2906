"""django-axes (login lock-outs) as installed: its admin section named in the page's language."""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    """Its models' labels come from ``locale_vendor/`` (the package ships no Chinese)."""

    verbose_name = _("登录记录")
