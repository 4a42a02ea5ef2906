"""Reactions to disputes (访调对接): connected in PetitionsConfig.ready(). Each hands the
signal's values to a service."""

from django.db import transaction

from disputes.models import ReferralTarget


def on_dispute_referred(sender, dispute, by, target, note, **kwargs):
    if target == ReferralTarget.PETITION_OFFICE:
        from .services import petition_create_from_referral

        petition_create_from_referral(dispute=dispute, by=by, note=note)


def on_dispute_resolved(sender, dispute, by, outcome, agreement, **kwargs):
    """The reply of a petition docked to this dispute is drafted once the resolution
    commits."""
    from .services import petition_reply_draft_from_dispute

    transaction.on_commit(lambda: petition_reply_draft_from_dispute(
        dispute=dispute, by=by, outcome=outcome, agreement=agreement))
