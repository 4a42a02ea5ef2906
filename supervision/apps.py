from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督办")

    def ready(self):
        from core import registry
        from disputes import signals as dispute_signals
        from petitions import signals as petition_signals

        from . import receivers

        dispute_signals.dispute_escalated_urgent.connect(
            receivers.on_dispute_escalated_urgent, dispatch_uid="supervision.urgent")
        dispute_signals.dispute_referred.connect(
            receivers.on_dispute_referred, dispatch_uid="supervision.referred")
        petition_signals.petition_went_above.connect(
            receivers.on_petition_went_above, dispatch_uid="supervision.went_above")
        petition_signals.petition_registered.connect(
            receivers.on_petition_registered, dispatch_uid="supervision.registered")
        registry.nav_item("notices_mine", _("我的督办"), "supervision:mine", order=60)
        registry.nav_item("notices_ledger", _("督办台账"), "supervision:ledger", order=70,
                          visible=_covers_a_town)
        registry.nav_item("instability_report", _("报告不稳定信息"),
                          "supervision:instability_report", order=80, visible=_has_grids)
        for model_label, param in (("disputes.Dispute", "dispute"),
                                   ("petitions.Petition", "petition")):
            registry.detail_link(f"supervision_assess_{param}", model_label,
                                 _link_builder("supervision:assessment_new", _("稳定风险评估"),
                                               param))
            registry.detail_link(f"supervision_notice_{param}", model_label,
                                 _link_builder("supervision:notice_issue", _("下发督办件"), param))
        registry.home_panel("supervision", "supervision/_home_panel.html",
                            context=_home_panel_context, order=30)
        registry.exporter("supervision.ledger", _ledger_export, page="supervision:ledger")


def _ledger_export(user, query, progress):
    from .selectors import ledger_export_file

    return ledger_export_file(user=user, query=query, progress=progress)


def _covers_a_town(user):
    from grid.scope import scope_for_user

    return scope_for_user(user).covers_any_whole_town


def _link_builder(url_name, label, param):
    def build(request, obj):
        from django.urls import reverse

        from .permissions import can_issue

        if not can_issue(request.user, obj.town_id):
            return None
        return label, f"{reverse(url_name)}?{param}={obj.pk}"

    return build


def _has_grids(user):
    from grid.scope import scope_for_user

    scope = scope_for_user(user)
    return bool(scope.small_grid_ids) and not scope.covers_any_whole_town


def _home_panel_context(request):
    from .selectors import notice_queue_for_user, pending_assessments_for_user

    # The ten shown of each, read once, with the columns the panel shows (the case or
    # petition assessed only by its number): an empty panel is not shown.
    queue = list(notice_queue_for_user(user=request.user)
                 .only("id", "number", "title", "state", "deadline")[:10])
    pending = list(pending_assessments_for_user(user=request.user)
                   .select_related(None).select_related("dispute", "petition")
                   .only("id", "dispute_id", "petition_id", "requested_reason",
                         "requested_reason_text", "dispute__number", "petition__number")[:10])
    if not queue and not pending:
        return None
    return {"queue": queue, "pending": pending}
