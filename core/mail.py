"""The console e-mail of the embedded mode, one line per message."""

from __future__ import annotations

from django.core.mail.backends.console import EmailBackend


class OneLineConsoleBackend(EmailBackend):
    """Django's console backend, writing ``mail → recipients: subject`` instead of the whole
    message, so that ``make run``'s log stays readable while the sweeps notify."""

    def write_message(self, message):
        recipients = ", ".join(message.recipients())
        self.stream.write(f"mail → {recipients}: {message.subject}\n")
