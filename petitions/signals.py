"""Signals for apps above ``petitions`` (supervision traces skip-level and group petitions).
Each carries, as keyword arguments, what a receiver needs; receivers hand it to a service.
Both are sent once the registering or recording transaction has committed."""

from django.dispatch import Signal

# petition, visit (the HigherLevelVisit just recorded)
petition_went_above = Signal()
# petition
petition_registered = Signal()
