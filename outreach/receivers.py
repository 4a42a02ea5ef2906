"""Receivers of the lower apps' rows: a history row or a session arranged ahead may tell the
people concerned by SMS (``services.notices``). Connected in ``OutreachConfig.ready``."""

from . import services


def on_dispute_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.dispute_event_texts(instance)


def on_session(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.dispute_session_texts(instance)


def on_petition_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.petition_event_texts(instance)
