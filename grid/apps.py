from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "grid"
    verbose_name = _("组织架构")

    def ready(self):
        from core import registry

        registry.nav_item("grid", _("组织架构"), "grid:town_list", order=900)
