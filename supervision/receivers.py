"""Reactions to disputes and petitions, connected in SupervisionConfig.ready(). Each hands the
signal's values to a service, which decides whether anything is to be done."""


def on_dispute_escalated_urgent(sender, dispute, by, justification, **kwargs):
    """A dispute escalated urgently arrives for stability-risk assessment."""
    from .services import assessment_request

    assessment_request(town=dispute.town, dispute=dispute, reason=justification)


def on_dispute_referred(sender, dispute, by, target, note, **kwargs):
    from .services import trace_dispute_referred

    trace_dispute_referred(dispute=dispute, target=target)


def on_petition_went_above(sender, petition, visit, **kwargs):
    from .services import trace_petition_went_above

    trace_petition_went_above(petition=petition, visit=visit)


def on_petition_registered(sender, petition, **kwargs):
    from .services import trace_petition_registered

    trace_petition_registered(petition=petition)
