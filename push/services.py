"""Writes and side effects of notifications: devices, preferences, topics, inbox, sending.

Domain apps call ``notify`` (a set of users) and ``broadcast`` (an audience of
communes and themes). Both only write outbox rows in the caller's transaction;
a task of ``push.tasks`` wakes a worker after commit, and the worker
(``push.outbox.deliver_due``, ``push.outbox.topics_sync``) sends.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from backend import validators
from backend.models import User
from geo.models import Commune
from push import tasks
from push.models import (
    FORGOTTEN,
    AudienceProfile,
    Broadcast,
    BroadcastSend,
    Channel,
    Delivery,
    Device,
    Kind,
    Notification,
    OutgoingEmail,
    Preferences,
    ProfileTheme,
    Status,
)

PERSONAL_TTL = timedelta(days=7)


def _wake() -> None:
    """Wake a worker once the current transaction commits."""
    transaction.on_commit(lambda: tasks.deliver.enqueue())


def _wake_topic_sync() -> None:
    transaction.on_commit(lambda: tasks.sync_topics.enqueue())


# Devices and preferences -------------------------------------------------------------


@transaction.atomic
def device_register(
    *,
    token: str,
    platform: str,
    locale: str = "fr",
    app_version: str = "",
    user: User | None = None,
) -> tuple[Device, bool]:
    """Register or refresh a token; with a user, the device now belongs to them.

    The interests the phone had without an account become the user's when the user has
    none (see ``device_adopt``).
    """
    device, created = Device.objects.select_for_update().get_or_create(
        token=token, defaults={"platform": platform, "locale": locale, "user": user}
    )
    device.platform = platform
    device.locale = locale
    device.app_version = app_version
    if user is not None:
        device.user = user
    device.is_active = True
    device.deactivated_reason = ""
    device.save()
    Preferences.objects.get_or_create(device=device)
    if user is not None:
        _interests_carry_over(device=device, user=user)
    device_refresh_topic(device=device)
    return device, created


@transaction.atomic
def device_adopt(*, token: str, user: User) -> Device | None:
    """The phone someone registered or logged in on moves to their account.

    None when no active device has this token (the phone registers it with ``/devices/``).
    """
    device = Device.objects.active().select_for_update().filter(token=token).first()
    if device is None:
        return None
    device.user = user
    device.save(update_fields=["user", "updated_at"])
    _interests_carry_over(device=device, user=user)
    device_refresh_topic(device=device)
    return device


def _interests_carry_over(*, device: Device, user: User) -> None:
    """Communes and themes chosen on a phone before signing in become the account's when
    the account has none.

    An account with interests keeps them: the phone follows the account while logged in,
    and gets its own interests back when the person logs out on it.
    """
    account = preferences_of(user=user)
    if account.themes or account.communes.exists():
        return
    phone = preferences_of(device=device)
    communes = list(phone.communes.all())
    if communes or phone.themes:
        preferences_update(preferences=account, communes=communes, themes=phone.themes)


@transaction.atomic
def device_forget(*, device: Device) -> None:
    """Stop all notifications to a device; it is deleted once unsubscribed from FCM."""
    device.is_active = False
    device.deactivated_reason = FORGOTTEN
    device.user = None
    device.save(update_fields=["is_active", "deactivated_reason", "user", "updated_at"])
    device_refresh_topic(device=device)


def device_detach(*, token: str, user: User) -> None:
    """On logout: the device stops receiving the user's notifications, keeps its own interests."""
    device = Device.objects.filter(token=token, user=user).first()
    if device is None:
        return
    device.user = None
    device.save(update_fields=["user", "updated_at"])
    device_refresh_topic(device=device)


def devices_forget_all(*, user: User) -> None:
    for device in Device.objects.filter(user=user):
        device_forget(device=device)


def preferences_of(*, user: User | None = None, device: Device | None = None) -> Preferences:
    if user is not None:
        return Preferences.objects.get_or_create(user=user)[0]
    return Preferences.objects.get_or_create(device=device)[0]


def effective_preferences(device: Device) -> Preferences:
    """A logged-in device follows its user's preferences; otherwise its own."""
    return preferences_of(user=device.user) if device.user_id else preferences_of(device=device)


@transaction.atomic
def preferences_update(
    *,
    preferences: Preferences,
    communes: list[Commune] | None = None,
    themes: list[str] | None = None,
    channels: dict[str, list[str]] | None = None,
) -> Preferences:
    if themes is not None:
        preferences.themes = sorted(set(themes))
    if channels is not None:
        preferences.channels = {**preferences.channels, **channels}
    preferences.save()
    if communes is not None:
        preferences.communes.set(communes)
    devices = (
        Device.objects.filter(user=preferences.user)
        if preferences.user_id
        else Device.objects.filter(pk=preferences.device_id)
    )
    for device in devices:
        device_refresh_topic(device=device)
    return preferences


# Topics ------------------------------------------------------------------------------


def profile_topic(*, preferences: Preferences, language: str) -> str:
    """The FCM topic of these interests in this language ("" when no alert is wanted)."""
    if not preferences.wants(Kind.NEW_CONSULTATION, Channel.PUSH):
        return ""
    communes = sorted(preferences.communes.values_list("insee_code", flat=True))
    themes = sorted(preferences.themes)
    if not communes and not themes:
        return ""
    digest = hashlib.sha256(json.dumps([communes, themes, language]).encode("utf-8")).hexdigest()[
        :32
    ]
    profile, created = AudienceProfile.objects.get_or_create(
        key=digest, defaults={"topic": f"p-{digest}", "language": language}
    )
    if created:
        profile.communes.set(Commune.objects.filter(insee_code__in=communes))
        ProfileTheme.objects.bulk_create(
            [ProfileTheme(profile=profile, theme=theme) for theme in themes]
        )
    return profile.topic


def device_refresh_topic(*, device: Device) -> None:
    wanted = ""
    if device.is_active:
        wanted = profile_topic(preferences=effective_preferences(device), language=device.language)
    if wanted != device.wanted_topic or wanted != device.topic:
        Device.objects.filter(pk=device.pk).update(wanted_topic=wanted)
        device.wanted_topic = wanted
        _wake_topic_sync()


# Sending -----------------------------------------------------------------------------


def notify(
    *,
    users: Iterable[User],
    kind: str,
    title: dict[str, str],
    body: dict[str, str],
    link_type: str = "",
    link_id: str | int = "",
    collapse_key: str = "",
    ttl: timedelta = PERSONAL_TTL,
) -> list[Notification]:
    """Put one notification in each user's inbox and queue its push and email deliveries."""
    recipients = {user.pk: user for user in users if user.is_active}
    if not recipients:
        return []
    expires_at = timezone.now() + ttl
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                kind=kind,
                title_fr=title["fr"],
                title_en=title.get("en", title["fr"]),
                body_fr=body.get("fr", ""),
                body_en=body.get("en", body.get("fr", "")),
                link_type=link_type,
                link_id=str(link_id),
                collapse_key=collapse_key,
                expires_at=expires_at,
            )
            for user in recipients.values()
        ]
    )
    preferences = {p.user_id: p for p in Preferences.objects.filter(user_id__in=recipients.keys())}
    devices: dict[int, list[Device]] = defaultdict(list)
    for device in Device.objects.active().filter(user_id__in=recipients.keys()):
        devices[device.user_id].append(device)
    deliveries = []
    for notification in notifications:
        wanted = preferences.get(notification.user_id) or Preferences()
        if wanted.wants(kind, Channel.PUSH):
            deliveries += [
                Delivery(notification=notification, channel=Channel.PUSH, device=device)
                for device in devices[notification.user_id]
            ]
        if wanted.wants(kind, Channel.EMAIL):
            deliveries.append(Delivery(notification=notification, channel=Channel.EMAIL))
    Delivery.objects.bulk_create(deliveries)
    if deliveries:
        _wake()
    return notifications


def broadcast(
    *,
    key: str,
    kind: str,
    title: dict[str, str],
    body: dict[str, str],
    communes: Iterable[Commune] = (),
    themes: Iterable[str] = (),
    link_type: str = "",
    link_id: str | int = "",
    expires_at: datetime | None = None,
) -> Broadcast | None:
    """Alert every device interested in these communes or themes, once per event ``key``.

    Returns None when this event was already broadcast.
    """
    communes, themes = list(communes), sorted(set(themes))
    try:
        with transaction.atomic():
            item = Broadcast.objects.create(
                key=key,
                kind=kind,
                title_fr=title["fr"],
                title_en=title.get("en", title["fr"]),
                body_fr=body.get("fr", ""),
                body_en=body.get("en", body.get("fr", "")),
                link_type=link_type,
                link_id=str(link_id),
                themes=themes,
                expires_at=expires_at,
            )
    except IntegrityError:
        return None
    item.communes.set(communes)
    profiles = AudienceProfile.objects.filter(
        Q(communes__in=communes) | Q(theme_rows__theme__in=themes)
    ).filter(topic__in=Device.objects.active().values("topic"))
    BroadcastSend.objects.bulk_create(
        [
            BroadcastSend(broadcast=item, topic=topic, language=language)
            for topic, language in profiles.values_list("topic", "language").distinct()
        ]
    )
    _wake()
    return item


def email_queue(
    *, to: str, subject: str, body_text: str, body_html: str = "", key: str | None = None
) -> OutgoingEmail | None:
    """Queue an email to any address; with a ``key``, never twice to the same address.

    The address is kept in its one written form (``validators.email_fold``), so that the
    key holds whatever the case it was typed in, and erasure finds every email to a person.
    """
    to = validators.email_fold(to)
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                to=to, subject=subject, body_text=body_text, body_html=body_html, key=key
            )
    except IntegrityError:
        return None
    _wake()
    return email


def delivery_resend(*, delivery: Delivery) -> None:
    """Staff: try a failed delivery again from scratch."""
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Status.PENDING, attempts=0, next_attempt_at=None, claimed_until=None
    )
    _wake()


# The inbox ---------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
