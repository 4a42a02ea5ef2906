"""Signals for apps above ``disputes`` (petitions dock referred cases; supervision assesses
urgent ones). Receivers connect in their ``AppConfig.ready()`` with a ``dispatch_uid``."""

from django.dispatch import Signal

# dispute, by
dispute_escalated_urgent = Signal()
# dispute, by
dispute_resolved = Signal()
# dispute, by, target, note
dispute_referred = Signal()
