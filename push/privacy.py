"""What push holds about a person, for the data export."""

from __future__ import annotations

from typing import Any

from backend.models import User
from push.models import Device, Notification, Preferences


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
                "link": {"type": n.link_type, "id": n.link_id} if n.link_type else None,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user).order_by("created_at")
        ],
    }
