from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("台账导入")

    def ready(self):
        from core import registry

        registry.nav_item("imports", _("导入台账"), "imports:index", order=90,
                          visible=_may_import)


def _may_import(user):
    from .permissions import may_import_somewhere

    return may_import_somewhere(user)
