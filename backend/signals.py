"""Events of the platform core that apps above it react to (imports only go downwards)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``user`` and ``device_token`` when someone registers or logs in from a phone
# that sends its FCM token.
logged_in = Signal()
# Sent with ``user`` and ``device_token`` (possibly empty) when someone logs out.
logged_out = Signal()
# Sent with ``user`` when an account is erased, before its personal data is removed.
user_erased = Signal()
# Sent with ``to``, ``subject``, ``body_text``, ``body_html`` and ``key`` to queue an e-mail
# (see backend/mail.py); the ``push`` app keeps the outbox.
email_requested = Signal()
