"""E-mail as the apps write it: plain text never HTML-escaped, every message queued."""

from __future__ import annotations

from django.core import mail

from backend import mail as backend_mail
from push.models import OutgoingEmail


def test_plain_text_bodies_are_not_html_escaped(db):
    body = backend_mail.render_text(
        "push/notification.txt",
        {"title": "L'avis de Zoé", "body": "a < b & c", "link": "https://x.test/?a=1&b=2"},
    )

    assert "L'avis de Zoé" in body
    assert "a < b & c" in body
    assert "https://x.test/?a=1&b=2" in body
    assert "&amp;" not in body and "&#x27;" not in body and "&lt;" not in body


def test_an_email_is_queued_not_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        backend_mail.email_send(to="zoe@example.test", subject="Objet", body_text="Texte")

    email = OutgoingEmail.objects.get(to="zoe@example.test")
    assert (email.subject, email.body_text) == ("Objet", "Texte")
    assert mail.outbox == []


def test_an_email_with_a_key_is_queued_once_per_address(db):
    for _ in range(2):
        backend_mail.email_send(to="zoe@example.test", subject="S", body_text="T", key="k-1")

    assert OutgoingEmail.objects.filter(to="zoe@example.test", key="k-1").count() == 1
