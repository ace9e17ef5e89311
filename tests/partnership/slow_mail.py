"""A file mail backend that pauses before each message, like a slow mail server.

Used by the worker tests (through `tests.partnership.worker_settings`), so a test can kill a worker while it is
in the middle of sending.
"""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0")))
        return super().send_messages(email_messages)
