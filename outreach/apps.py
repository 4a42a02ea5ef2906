from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    """Reaching the people concerned: SMS, the public query page and its ratings, and the
    applications for mediation made from a phone (README, "Architecture")."""

    name = "outreach"
    verbose_name = _("群众服务")

    def ready(self):
        from django.db.models.signals import post_save

        from core import registry
        from disputes.models import DisputeEvent, MediationSession
        from inbox import notifications
        from petitions.models import PetitionEvent

        from . import receivers, services

        notifications.register_channel("sms", wants=services.staff_sms_wants,
                                       send=services.staff_sms_send)
        post_save.connect(receivers.on_dispute_event, sender=DisputeEvent,
                          dispatch_uid="outreach.on_dispute_event")
        post_save.connect(receivers.on_session, sender=MediationSession,
                          dispatch_uid="outreach.on_session")
        post_save.connect(receivers.on_petition_event, sender=PetitionEvent,
                          dispatch_uid="outreach.on_petition_event")
        registry.nav_item("outreach_applications", _("调解申请"), "outreach:applications",
                          order=25)
