from __future__ import annotations

from typing import Any

from backend.models import User
from push import services


def on_logged_in(sender: object, user: User, device_token: str, **kwargs: Any) -> None:
    services.device_adopt(token=device_token, user=user)


def on_logged_out(sender: object, user: User, device_token: str = "", **kwargs: Any) -> None:
    if device_token:
        services.device_detach(token=device_token, user=user)


def on_user_erased(sender: object, user: User, **kwargs: Any) -> None:
    services.devices_forget_all(user=user)


def on_email_requested(
    sender: object,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    key: str | None = None,
    **kwargs: Any,
) -> None:
    services.email_queue(to=to, subject=subject, body_text=body_text, body_html=body_html, key=key)
