"""Reactions to disputes and petitions, connected in SupervisionConfig.ready()."""

from disputes.models import ReferralTarget

from .models import ResponsibilityTrace


def on_dispute_escalated_urgent(sender, dispute, by, **kwargs):
    """A dispute escalated urgently arrives for stability-risk assessment."""
    from .services import assessment_request

    assessment_request(town=dispute.town, dispute=dispute,
                       reason=dispute.events.order_by("-id").values_list("note", flat=True)
                       .first() or "")


def on_dispute_referred(sender, dispute, by, target, note, **kwargs):
    if target == ReferralTarget.POLICE and dispute.risk_civil_to_criminal:
        from .services import trace_referred_to_police

        trace_referred_to_police(dispute)


def on_petition_went_above(sender, petition, visit, **kwargs):
    from .services import trace_petition

    trace_petition(petition, ResponsibilityTrace.Trigger.SKIP_LEVEL_PETITION)


def on_petition_registered(sender, petition, **kwargs):
    """A group petition on a matter the town already held (a repeat of an earlier petition,
    or referred from one of its disputes) is traced."""
    if petition.is_group and (petition.repeat_of_id or petition.source_dispute_id):
        from .services import trace_petition

        trace_petition(petition, ResponsibilityTrace.Trigger.GROUP_PETITION)
