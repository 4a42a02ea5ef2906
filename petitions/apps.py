from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("信访")

    def ready(self):
        from casework.querycode import register_holder
        from core import registry

        from .models import Petition

        register_holder(Petition)
        from disputes import signals as dispute_signals

        from . import receivers

        dispute_signals.dispute_referred.connect(
            receivers.on_dispute_referred, dispatch_uid="petitions.on_dispute_referred")
        dispute_signals.dispute_resolved.connect(
            receivers.on_dispute_resolved, dispatch_uid="petitions.on_dispute_resolved")
        registry.nav_item("petitions_mine", _("我的代办信访"), "petitions:mine", order=40)
        registry.nav_item("petitions_ledger", _("信访台账"), "petitions:ledger", order=50)
        registry.home_panel("petitions", "petitions/_home_panel.html",
                            context=_home_panel_context, order=20)
        registry.search_provider("petitions", _("信访事项"), _search, order=20,
                                 more_url_name="petitions:ledger")
        registry.exporter("petitions.ledger", _ledger_export, page="petitions:ledger")


def _ledger_export(user, query, progress):
    from .selectors import ledger_export_file

    return ledger_export_file(user=user, query=query, progress=progress)


def _search(user, query, limit):
    from .selectors import petition_search_for_user

    return [{"title": p.number, "url": p.get_absolute_url(),
             "detail": f"{p.subject} · {p.small_grid.name} · {p.get_state_display()}"}
            for p in petition_search_for_user(user=user, query=query, limit=limit)]


def _home_panel_context(request):
    from core.counts import head_and_count

    from .selectors import petition_queue_for_user

    queue = petition_queue_for_user(user=request.user)
    # The ten shown, with the columns the panel shows (a petition's row is wide), and the
    # count.
    rows, count = head_and_count(
        queue.select_related(None).only("id", "number", "subject", "state"), 10)
    return {"queue": rows, "queue_count": count}
