from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadenceConfig(AppConfig):
    name = "cadence"
    verbose_name = _("三个一")

    def ready(self):
        from core import registry

        registry.nav_item("cadence_screening", _("每日排查"), "cadence:screening", order=5,
                          visible=_files_reports)
        registry.nav_item("cadence_reports", _("三个一汇总"), "cadence:index", order=85,
                          visible=_covers_a_town)
        registry.home_panel("cadence_dashboard", "cadence/_dashboard.html",
                            context=_dashboard_context, order=0)


def _files_reports(user):
    from grid.models import Role
    from grid.scope import scope_for_user

    scope = scope_for_user(user)
    return bool(scope.held.get(Role.GRID_MEMBER) or scope.held.get(Role.INFORMANT))


def _covers_a_town(user):
    from grid.scope import scope_for_user

    return scope_for_user(user).covers_any_whole_town


def _dashboard_context(request):
    from .selectors import dashboard_kept

    return dashboard_kept(user=request.user)
