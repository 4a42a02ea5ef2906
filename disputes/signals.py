"""Signals for apps above ``disputes`` (petitions dock referred cases; supervision assesses
urgent ones and traces late referrals to the police). Each carries, as keyword arguments,
what a receiver needs, so that no receiver reads it back from the case's history. Receivers
connect in their ``AppConfig.ready()`` with a ``dispatch_uid`` and hand the values to a
service.

All three are sent inside the transition's transaction, after its history row is written.
"""

from django.dispatch import Signal

# dispute, by, justification (why it went straight to the chair)
dispute_escalated_urgent = Signal()
# dispute, by, outcome, agreement (the case's MediationAgreement, or None)
dispute_resolved = Signal()
# dispute, by, target (a ReferralTarget), note
dispute_referred = Signal()
