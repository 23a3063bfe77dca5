"""An email backend whose first sends fail, as an SMTP server that is down for a moment."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakySmtpBackend(EmailBackend):
    """Raises on the first `failures` sends (a class attribute a test sets), then delivers to
    django.core.mail.outbox like the locmem backend. `attempts` counts every try."""

    failures = 1
    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        if type(self).failures > 0:
            type(self).failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
