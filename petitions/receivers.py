"""Reactions to disputes (访调对接): connected in PetitionsConfig.ready()."""

from django.db import transaction

from disputes.models import ReferralTarget


def on_dispute_referred(sender, dispute, by, target, note, **kwargs):
    if target == ReferralTarget.PETITION_OFFICE:
        from .services import petition_create_from_referral

        petition_create_from_referral(dispute=dispute, by=by, note=note)


def on_dispute_resolved(sender, dispute, by, **kwargs):
    from .services.docking import draft_reply_from_dispute

    transaction.on_commit(lambda: draft_reply_from_dispute(dispute))
