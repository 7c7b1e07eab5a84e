"""Where a notification leads, under the same names everywhere: ``link_type``, ``link_id``
and ``link_url`` in the inbox, in push data, in e-mails and in the personal-data export.

``link_url`` is the web page of the object, ``{FRONTEND_URL}/{link_type}/{link_id}``; the app
opens the same path as a deep link.
"""

from __future__ import annotations

from django.conf import settings


def link_url(link_type: str, link_id: str) -> str:
    """The page a notification opens; the home page when it leads nowhere in particular."""
    home = settings.FRONTEND_URL.rstrip("/")
    return f"{home}/{link_type}/{link_id}" if link_type else home


def push_data(*, kind: str, link_type: str, link_id: str) -> dict[str, str]:
    """The data of a push message: FCM carries a flat map of strings ("" when no link)."""
    return {
        "kind": kind,
        "link_type": link_type,
        "link_id": link_id if link_type else "",
        "link_url": link_url(link_type, link_id) if link_type else "",
    }
