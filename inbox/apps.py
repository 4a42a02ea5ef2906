from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    """The in-app inbox and the channels that carry its messages further (e-mail)."""

    name = "inbox"
    verbose_name = _("站内通知")

    def ready(self):
        from . import channels, notifications

        notifications.register_channel("email", wants=channels.email_wants,
                                       send=channels.email_send)
