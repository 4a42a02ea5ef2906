from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("统计上报与通报")

    def ready(self):
        from core import registry

        registry.nav_item("reporting_reports", _("统计报表"), "reporting:index", order=87,
                          visible=_covers_a_town)
        registry.nav_item("reporting_bulletins", _("情况通报"), "reporting:bulletins", order=88,
                          visible=_reads_bulletins)


def _covers_a_town(user):
    from grid.scope import scope_for_user

    return scope_for_user(user).covers_any_whole_town


def _reads_bulletins(user):
    from grid.models import Role
    from grid.scope import scope_for_user

    scope = scope_for_user(user)
    return scope.covers_any_whole_town or bool(
        scope.held.get(Role.GRID_LEADER) or scope.held.get(Role.PARTY_COMMITTEE_MEMBER)
        or scope.held.get(Role.SECTION_LEADER))
