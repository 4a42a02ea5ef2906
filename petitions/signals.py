"""Signals for apps above ``petitions`` (supervision traces skip-level and group petitions)."""

from django.dispatch import Signal

# petition, visit
petition_went_above = Signal()
# petition
petition_registered = Signal()
