from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "grid"
    verbose_name = _("组织架构")

    def ready(self):
        from django.core.signals import request_finished, request_started

        from core import registry

        from . import scope
        from .menus import main_jobs_for

        request_started.connect(scope.request_stamp_open, dispatch_uid="grid.stamp_open")
        request_finished.connect(scope.request_stamp_close, dispatch_uid="grid.stamp_close")

        registry.main_jobs(main_jobs_for)
        registry.nav_item("grid", _("组织架构"), "grid:town_list", order=900)
        registry.nav_item("personal_data_access", _("查看记录"), "grid:personal_data_access",
                          visible=_leadership, order=950)


def _leadership(user) -> bool:
    from .models import Role
    from .scope import scope_for_user

    scope = scope_for_user(user)
    return scope.is_global or bool(scope.held.get(Role.TOWN_LEADERSHIP))
