"""A mail backend that refuses the first ``FAILURES`` messages, then delivers like locmem."""

from django.core.mail.backends.locmem import EmailBackend

FAILURES = 2
calls = {"n": 0}


class FlakyBackend(EmailBackend):
    def send_messages(self, messages):
        calls["n"] += 1
        if calls["n"] <= FAILURES:
            raise ConnectionRefusedError("mail server away")
        return super().send_messages(messages)
