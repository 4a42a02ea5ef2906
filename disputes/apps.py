from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("矛盾纠纷")

    def ready(self):
        from casework.querycode import register_holder
        from core import registry

        from .models import Dispute

        register_holder(Dispute)

        registry.nav_item("disputes_queue", _("我的待办"), "disputes:queue", order=10)
        registry.nav_item("disputes_new", _("登记纠纷"), "disputes:create", order=20)
        registry.nav_item("disputes_ledger", _("纠纷台账"), "disputes:ledger", order=30)
        registry.home_panel("disputes", "disputes/_home_panel.html",
                            context=_home_panel_context, order=10)
        registry.search_provider("disputes", _("矛盾纠纷"), _search, order=10,
                                 more_url_name="disputes:ledger")
        registry.exporter("disputes.ledger", _ledger_export, page="disputes:ledger")


def _ledger_export(user, query, progress):
    from .selectors import ledger_export_file

    return ledger_export_file(user=user, query=query, progress=progress)


def _search(user, query, limit):
    from .selectors import dispute_search_for_user

    return [{"title": d.number, "url": d.get_absolute_url(),
             "detail": f"{d.title} · {d.small_grid.name} · {d.get_state_display()}"}
            for d in dispute_search_for_user(user=user, query=query, limit=limit)]


def _home_panel_context(request):
    from core.counts import head_and_count
    from grid.scope import scope_for_user

    from .selectors import dispute_queue_for_user, fengqiao_headline

    queue = dispute_queue_for_user(user=request.user)
    scope = scope_for_user(request.user)
    # The ten shown, with the columns the panel shows (a case's row is wide), and the count.
    rows, count = head_and_count(
        queue.select_related(None).only("id", "number", "title", "state", "tier_due_at"), 10)
    # Those who cover a whole town see the four lines on the leadership dashboard instead.
    return {
        "queue": rows,
        "queue_count": count,
        "headline": (None if scope.covers_any_whole_town
                     else fengqiao_headline(user=request.user)),
    }
