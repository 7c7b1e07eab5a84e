"""Writes and side effects of notifications: devices, preferences, topics, inbox, delivery.

Domain apps call ``notify`` (a set of users) and ``broadcast`` (an audience of
communes and themes). Both only write outbox rows in the caller's transaction;
a task wakes a worker after commit, and ``deliver_due`` sends.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.template.loader import render_to_string
from django.utils import timezone, translation

from backend import validators
from backend.mail import render_text
from backend.models import User
from geo.models import Commune
from push import fcm
from push.models import (
    AudienceProfile,
    Broadcast,
    BroadcastSend,
    Channel,
    Delivery,
    Device,
    Kind,
    Notification,
    OutboxRow,
    OutgoingEmail,
    Preferences,
    ProfileTheme,
    Status,
)

logger = logging.getLogger(__name__)

FORGOTTEN = "forgotten"
UNKNOWN_OUTCOME = "outcome unknown: the worker stopped during the call (not resent)"
PERSONAL_TTL = timedelta(days=7)


def _wake() -> None:
    """Wake a worker once the current transaction commits."""
    from push.tasks import deliver

    transaction.on_commit(lambda: deliver.enqueue())


def _wake_topic_sync() -> None:
    from push.tasks import sync_topics

    transaction.on_commit(lambda: sync_topics.enqueue())


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
    """Register or refresh a token; with a user, the device now belongs to them."""
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
    device_refresh_topic(device=device)
    return device, created


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


def device_deactivate(*, device_id: int, reason: str) -> None:
    """FCM said the token is dead: never try it again."""
    Device.objects.filter(pk=device_id).update(
        is_active=False, deactivated_reason=reason[:200], wanted_topic="", topic=""
    )


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


def topics_sync(*, limit: int = 1000) -> int:
    """Bring FCM topic subscriptions in step with interests; return how many devices moved.

    A device leaves its old topic before joining the new one, so it is never in
    two profile topics at once (and never gets a broadcast twice). Devices whose
    call failed for a passing reason stay as they are for the next run.
    """
    stale = list(Device.objects.exclude(topic=models.F("wanted_topic")).order_by("pk")[:limit])
    moved = 0
    leaving: dict[str, list[Device]] = defaultdict(list)
    for device in stale:
        if device.topic:
            leaving[device.topic].append(device)
    for topic, devices in leaving.items():
        outcomes = fcm.unsubscribe([d.token for d in devices], topic)
        for device in devices:
            outcome = outcomes[device.token]
            if outcome.kind in ("sent", "dead"):
                Device.objects.filter(pk=device.pk).update(topic="")
                device.topic = ""
                moved += 1
            if outcome.kind == "dead":
                device_deactivate(device_id=device.pk, reason=outcome.reason)
                device.wanted_topic = ""
    joining: dict[str, list[Device]] = defaultdict(list)
    for device in stale:
        if not device.topic and device.wanted_topic:
            joining[device.wanted_topic].append(device)
    for topic, devices in joining.items():
        outcomes = fcm.subscribe([d.token for d in devices], topic)
        for device in devices:
            outcome = outcomes[device.token]
            if outcome.kind == "sent":
                moved += Device.objects.filter(pk=device.pk, wanted_topic=topic).update(topic=topic)
            elif outcome.kind == "dead":
                device_deactivate(device_id=device.pk, reason=outcome.reason)
                moved += 1
    Device.objects.filter(is_active=False, deactivated_reason=FORGOTTEN, topic="").delete()
    return moved


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


# The worker --------------------------------------------------------------------------


def _claim(model: type[OutboxRow], limit: int) -> tuple[uuid.UUID, list[int]]:
    """Lease up to ``limit`` due rows to this worker; others skip them."""
    now = timezone.now()
    due = (
        model.objects.filter(status=Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    )
    # A row left "sending" by a worker that died may have reached FCM: resending could
    # deliver it twice, so it is marked failed for staff to resend by hand.
    model.objects.filter(status=Status.SENDING, claimed_until__lt=now).update(
        status=Status.FAILED, last_error=UNKNOWN_OUTCOME
    )
    lease = timedelta(seconds=settings.PUSH_CLAIM_LEASE_SECONDS)
    claim = uuid.uuid4()
    with transaction.atomic():
        candidates = due.order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        if not ids:
            return claim, []
        leased = due.filter(pk__in=ids).update(claimed_by=claim, claimed_until=now + lease)
    if leased == len(ids):  # always so when the rows were locked (SKIP LOCKED)
        return claim, ids
    return claim, list(model.objects.filter(claimed_by=claim).values_list("pk", flat=True))


def _mark_sending(model: type[OutboxRow], claim: uuid.UUID, pks: list[int]) -> set[int]:
    """Mark these rows "sending" if this worker still holds them; the ones it marked."""
    if not pks:
        return set()
    mine = model.objects.filter(pk__in=pks, claimed_by=claim, status=Status.PENDING)
    if mine.update(status=Status.SENDING) == len(pks):
        return set(pks)
    # Rare: some lease ran out and another worker took the row.
    marked = model.objects.filter(pk__in=pks, claimed_by=claim, status=Status.SENDING)
    return set(marked.values_list("pk", flat=True))


def _per_row(model: type[OutboxRow], field: str, values: dict[int, str]) -> RawSQL:
    """``CASE pk WHEN … THEN … ELSE field END``: a value per row in one UPDATE.

    The ORM's Case/When says the same but costs about 0.1 ms of Python per row to build,
    a tenth of what sending the row's message costs.
    """
    quote = connection.ops.quote_name
    whens = " WHEN %s THEN %s" * len(values)
    sql = f"CASE {quote(model._meta.pk.column)}{whens} ELSE {quote(field)} END"
    params = [item for pair in values.items() for item in pair]
    return RawSQL(sql, params, output_field=models.CharField())


@transaction.atomic
def _record(
    model: type[OutboxRow], claim: uuid.UUID, results: list[tuple[OutboxRow, fcm.Outcome]]
) -> None:
    """Write the outcomes of rows this worker holds: one query for all the sent ones
    and one per other (status, reason); a retry, with its own delay, costs one each."""
    now = timezone.now()
    sent = [(row, outcome) for row, outcome in results if outcome.kind == "sent"]
    if sent:
        fields: dict = {}
        if model is not OutgoingEmail:
            fields["message_id"] = _per_row(
                model, "message_id", {row.pk: outcome.message_id for row, outcome in sent}
            )
        model.objects.filter(pk__in=[row.pk for row, _ in sent], claimed_by=claim).update(
            status=Status.SENT,
            sent_at=now,
            attempts=models.F("attempts") + 1,
            claimed_until=None,
            last_error="",
            **fields,
        )
    settled: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row, outcome in results:
        if outcome.kind == "sent":
            continue
        attempts = row.attempts + 1
        if outcome.kind == "retry" and attempts < settings.PUSH_MAX_ATTEMPTS:
            delay = timedelta(seconds=settings.PUSH_RETRY_BASE_SECONDS * 2 ** (attempts - 1))
            delay = min(delay, timedelta(hours=1))
            if outcome.retry_after is not None:
                delay = max(delay, outcome.retry_after)
            model.objects.filter(pk=row.pk, claimed_by=claim).update(
                status=Status.PENDING,
                attempts=attempts,
                next_attempt_at=now + delay,
                claimed_until=None,
                last_error=outcome.reason,
            )
            continue
        status = {"dead": Status.DEAD, "skipped": Status.SKIPPED}.get(outcome.kind, Status.FAILED)
        settled[(status, outcome.reason)].append(row.pk)
    for (status, reason), pks in settled.items():
        model.objects.filter(pk__in=pks, claimed_by=claim).update(
            status=status,
            attempts=models.F("attempts") + 1,
            claimed_until=None,
            last_error=reason,
        )


def _link_data(link_type: str, link_id: str, kind: str) -> dict[str, str]:
    return {"kind": kind, "object_type": link_type, "object_id": link_id}


# What to do with a row: a push message (sent with others), an outcome already known
# (nothing to send), or None (sent alone by the outbox's ``send``: an email).
Plan = fcm.Payload | fcm.Outcome | None
PlanOf = Callable[[Any], Plan]
SendAlone = Callable[[Any], fcm.Outcome]


def _delivery_push(delivery: Delivery) -> Plan:
    notification = delivery.notification
    now = timezone.now()
    if notification.expires_at and notification.expires_at < now:
        return fcm.Outcome("skipped", reason="expired")
    if delivery.channel == Channel.EMAIL:
        return None
    device = delivery.device
    if device is None or not device.is_active:
        return fcm.Outcome("skipped", reason="device inactive")
    language = notification.user.language
    return fcm.Payload(
        title=notification.title(language),
        body=notification.body(language),
        data={
            **_link_data(notification.link_type, notification.link_id, notification.kind),
            "notification_id": str(notification.pk),
        },
        token=device.token,
        collapse_key=notification.collapse_key,
        ttl=notification.expires_at - now if notification.expires_at else None,
    )


def _send_delivery(delivery: Delivery) -> fcm.Outcome:
    """A delivery by email (push deliveries go in chunks, see ``_delivery_push``)."""
    return _send_notification_email(delivery.notification)


def _send_notification_email(notification: Notification) -> fcm.Outcome:
    user = notification.user
    context = {
        "notification": notification,
        "title": notification.title(user.language),
        "body": notification.body(user.language),
        "user": user,
        "territory": settings.TERRITORY_NAME,
        "link": f"{settings.FRONTEND_URL}/{notification.link_type}/{notification.link_id}"
        if notification.link_type
        else settings.FRONTEND_URL,
    }
    with translation.override(user.language):
        return _send_email(
            to=user.email,
            subject=context["title"],
            # The text part is plain text (never HTML-escaped); the HTML part is escaped.
            body_text=render_text("push/notification.txt", context),
            body_html=render_to_string("push/notification.html", context),
        )


def _send_email(*, to: str, subject: str, body_text: str, body_html: str) -> fcm.Outcome:
    # A line break in a header is refused by Django (and would forge headers): one line.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(subject=subject, body=body_text, to=[to])
    if body_html:
        message.attach_alternative(body_html, "text/html")
    try:
        message.send()
    except OSError as error:  # SMTP down, refused, timed out: try again later
        return fcm.Outcome("retry", reason=f"{type(error).__name__}: {error}"[:500])
    return fcm.Outcome("sent")


def _broadcast_push(send: BroadcastSend) -> Plan:
    item = send.broadcast
    now = timezone.now()
    if item.expires_at and item.expires_at < now:
        return fcm.Outcome("skipped", reason="expired")
    language = send.language
    return fcm.Payload(
        title=item.title_en if language == "en" else item.title_fr,
        body=item.body_en if language == "en" else item.body_fr,
        data=_link_data(item.link_type, item.link_id, item.kind),
        topic=send.topic,
        collapse_key=f"{item.link_type}-{item.link_id}" if item.link_type else item.key,
        ttl=item.expires_at - now if item.expires_at else None,
    )


def _outgoing_email_push(email: OutgoingEmail) -> Plan:
    return None


def _send_outgoing_email(email: OutgoingEmail) -> fcm.Outcome:
    return _send_email(
        to=email.to, subject=email.subject, body_text=email.body_text, body_html=email.body_html
    )


# Each outbox: its model, the relations its rows need, what to do with a row, and how to
# send a row alone (when its plan is None; a broadcast is always a push).
_OUTBOXES: list[tuple[type[OutboxRow], tuple[str, ...], PlanOf, SendAlone | None]] = [
    (Delivery, ("notification__user", "device"), _delivery_push, _send_delivery),
    (BroadcastSend, ("broadcast",), _broadcast_push, None),
    (OutgoingEmail, (), _outgoing_email_push, _send_outgoing_email),
]


def _failure(error: Exception) -> fcm.Outcome:
    return fcm.Outcome("retry", reason=f"{type(error).__name__}: {error}"[:500])


def deliver_due(*, batch_size: int = 100) -> int:
    """Send one batch of every outbox that has due rows; return how many rows were handled.

    Push messages go in chunks of ``PUSH_SEND_CHUNK``, sent concurrently: a chunk is
    marked "sending" before its call and its results committed as soon as they are
    known, so a worker that dies mid-batch leaves the rows of later chunks to the next
    worker (once their lease runs out) and those of the chunk in flight marked failed,
    never sent twice. Emails go one by one, the same way.
    """
    handled = 0
    chunk_size = max(1, settings.PUSH_SEND_CHUNK)
    for model, related, plan_of, send in _OUTBOXES:
        claim, ids = _claim(model, batch_size)
        if not ids:
            continue
        rows = model.objects.filter(pk__in=ids).order_by("pk")
        rows = list(rows.select_related(*related) if related else rows)
        for start in range(0, len(rows), chunk_size):
            chunk = rows[start : start + chunk_size]
            handled += _deliver_chunk(model, claim, chunk, plan_of, send)
    return handled


def _deliver_chunk(
    model: type[OutboxRow],
    claim: uuid.UUID,
    rows: list[OutboxRow],
    plan_of: PlanOf,
    send: SendAlone | None,
) -> int:
    """Send a chunk of claimed rows: the pushes together, the others one by one."""
    settled: list[tuple[OutboxRow, fcm.Outcome]] = []
    pushes: list[tuple[OutboxRow, fcm.Payload]] = []
    alone: list[OutboxRow] = []
    for row in rows:
        try:
            plan = plan_of(row)
        except Exception as error:  # never let one bad row stop the others
            logger.exception("push: preparing %s %s failed", model.__name__, row.pk)
            plan = _failure(error)
        if plan is None:
            alone.append(row)
        elif isinstance(plan, fcm.Outcome):
            settled.append((row, plan))
        else:
            pushes.append((row, plan))
    marked = _mark_sending(model, claim, [row.pk for row, _ in pushes])
    pushes = [(row, payload) for row, payload in pushes if row.pk in marked]
    if pushes:
        try:
            outcomes = fcm.send_many([payload for _, payload in pushes])
        except Exception as error:
            logger.exception("push: sending %d %s failed", len(pushes), model.__name__)
            outcomes = [_failure(error)] * len(pushes)
        settled += [(row, outcome) for (row, _), outcome in zip(pushes, outcomes, strict=True)]
    if settled:
        _record(model, claim, settled)
        if model is Delivery:
            for row, outcome in settled:
                if outcome.kind == "dead":
                    device_deactivate(device_id=row.device_id, reason=outcome.reason)
    handled = len(settled)
    for row in alone:
        if not _mark_sending(model, claim, [row.pk]):
            continue
        try:
            if send is None:
                raise TypeError(f"a {model.__name__} is never sent alone")
            outcome = send(row)
        except Exception as error:  # never let one bad row stop the others
            logger.exception("push: sending %s %s failed", model.__name__, row.pk)
            outcome = _failure(error)
        _record(model, claim, [(row, outcome)])
        handled += 1
    return handled


def next_due_at() -> datetime | None:
    """When the earliest pending retry falls due (None when nothing waits)."""
    dates = [
        model.objects.filter(status=Status.PENDING, next_attempt_at__isnull=False)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
        for model, *_ in _OUTBOXES
    ]
    dates = [date for date in dates if date is not None]
    return min(dates) if dates else None


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
