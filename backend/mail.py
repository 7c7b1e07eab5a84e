"""E-mail, as every app writes it: plain-text bodies rendered without HTML escaping, and every
message queued in the durable outbox of ``push`` (sent by the worker, retried, never lost).

``backend`` sits below ``push``, so it reaches the outbox through the ``email_requested``
signal that ``push`` answers (see ``push/apps.py``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import get_template

from backend import signals

# The template engine of plain-text bodies (settings.TEMPLATES): no autoescaping, so that
# "&" in a link or "'" in a name reach the reader as they are.
TEXT_ENGINE = "text"


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """A plain-text body: the template rendered without HTML escaping."""
    return get_template(template_name, using=TEXT_ENGINE).render(context)


def email_send(
    *, to: str, subject: str, body_text: str, body_html: str = "", key: str | None = None
) -> None:
    """Queue an e-mail in the outbox; with a ``key``, never twice to the same address.

    Nothing is sent here: the worker sends it, so a mail server that is down delays the
    mail and never fails (or times) the request that asked for it.
    """
    answers = signals.email_requested.send(
        sender=None, to=to, subject=subject, body_text=body_text, body_html=body_html, key=key
    )
    if not answers:
        raise ImproperlyConfigured("No outbox answers backend.signals.email_requested.")
