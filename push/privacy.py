"""What push holds about a person: export, erasure, retention."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from backend.models import User
from push import links
from push.models import Delivery, Device, Notification, OutgoingEmail, Preferences, Status

# Rows the worker is done with: sent, or given up.
FINISHED = [Status.SENT, Status.FAILED, Status.DEAD, Status.SKIPPED]


def export(user: User) -> dict[str, Any]:
    preferences = Preferences.objects.filter(user=user).first()
    return {
        "devices": [
            {
                "platform": d.platform,
                "locale": d.locale,
                "app_version": d.app_version,
                "token_end": d.token[-8:],
                "active": d.is_active,
                "registered_at": d.created_at.isoformat(),
            }
            for d in Device.objects.filter(user=user)
        ],
        "preferences": {
            "communes": list(preferences.communes.values_list("insee_code", flat=True)),
            "themes": preferences.themes,
            "channels": preferences.channels,
        }
        if preferences
        else None,
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title_fr,
                "body": n.body_fr,
                "link_type": n.link_type or None,
                "link_id": n.link_id if n.link_type else None,
                "link_url": links.link_url(n.link_type, n.link_id) if n.link_type else None,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user).order_by("created_at")
        ],
        # Subjects and dates only: a body may hold a live link (a password reset) that an
        # archive must not carry.
        "emails": [
            {
                "subject": e.subject,
                "status": e.status,
                "queued_at": e.created_at.isoformat(),
                "sent_at": e.sent_at.isoformat() if e.sent_at else None,
            }
            for e in OutgoingEmail.objects.filter(to=user.email).order_by("created_at")
        ],
    }


def erase(user: User) -> None:
    """The inbox, its deliveries, the interests and every email to the address go.

    Emails still waiting go too: an erased account gets no more mail.
    """
    Notification.objects.filter(user=user).delete()  # and their deliveries
    Preferences.objects.filter(user=user).delete()
    # Both in their one written form (``push.services.email_queue``, the account's field).
    OutgoingEmail.objects.filter(to=user.email).delete()


def apply_retention(now: datetime) -> dict[str, int]:
    """Sent or abandoned emails and deliveries, and old read notifications, are deleted."""
    sent_before = now - timedelta(days=settings.RETENTION_EMAIL_DAYS)
    emails, _ = OutgoingEmail.objects.filter(
        status__in=FINISHED, created_at__lt=sent_before
    ).delete()
    deliveries, _ = Delivery.objects.filter(
        status__in=FINISHED, created_at__lt=sent_before
    ).delete()
    read_before = now - timedelta(days=settings.RETENTION_NOTIFICATION_DAYS)
    old_read = Notification.objects.filter(read_at__isnull=False, created_at__lt=read_before)
    _, deleted = old_read.delete()  # with their deliveries, counted apart
    read = deleted.get(Notification._meta.label, 0)
    return {
        "outgoing emails deleted": emails,
        "notification deliveries deleted": deliveries,
        "read notifications deleted": read,
    }
