"""Every write and side effect of consultations, meetings, actors and contact messages."""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.errors import Conflict
from backend.models import Direction, Organisation
from contributions import selectors
from contributions.models import (
    Actor,
    Consultation,
    ConsultationFollow,
    ContactMessage,
    Document,
    Meeting,
    MeetingRegistration,
    OrganisationFollow,
    Phase,
    Theme,
)
from geo.models import Commune
from push import services as push
from push.models import Kind

if TYPE_CHECKING:
    from backend.models import User

logger = logging.getLogger(__name__)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "a", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "figure", "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "*": {"lang"}}


def sanitize_html(html: str) -> str:
    """Keep the rich text editors produce, drop scripts, styles and event handlers."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _both_languages(message: Any, **params: Any) -> dict[str, str]:
    """A lazy message in French and in English, for push payloads stored in both."""
    result = {}
    for language in ("fr", "en"):
        with translation.override(language):
            result[language] = str(message) % params
    return result


# Consultations -----------------------------------------------------------------------


@transaction.atomic
def consultation_publish(*, consultation: Consultation, now: datetime | None = None) -> bool:
    """Make a draft public (for good); announce it at once if it is already open.

    Returns whether the opening alert went out now.
    """
    now = now or timezone.now()
    Consultation.objects.filter(pk=consultation.pk, is_published=False).update(
        is_published=True, published_at=now
    )
    consultation.refresh_from_db()
    return consultation_alert_opening(consultation=consultation, now=now)


def consultation_alert_opening(*, consultation: Consultation, now: datetime | None = None) -> bool:
    """Tell phones, followers of the organisation and the actor directory, exactly once.

    The conditional UPDATE is the guard: whoever sets ``opening_alert_sent_at`` first
    sends, every later call (second publish, edit, the scheduled job) finds it set.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Consultation.objects.filter(
            pk=consultation.pk,
            is_published=True,
            opening_alert_sent_at__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
        ).update(opening_alert_sent_at=now)
        if not claimed:
            return False
        consultation.opening_alert_sent_at = now
        _announce_opening(consultation)
    return True


def _announce_opening(consultation: Consultation) -> None:
    key = f"consultation-{consultation.pk}-opened"
    title = _both_languages(gettext_lazy("New consultation: %(title)s"), title=consultation.title)
    summary = Truncator(consultation.summary).chars(180)
    body = (
        {"fr": summary, "en": summary}
        if summary
        else _both_languages(
            gettext_lazy("%(organisation)s invites you to take part."),
            organisation=consultation.organisation.name,
        )
    )
    communes = list(consultation.communes.all())
    themes = list(consultation.themes.values_list("slug", flat=True))
    push.broadcast(
        key=key,
        kind=Kind.NEW_CONSULTATION,
        title=title,
        body=body,
        communes=communes,
        themes=themes,
        link_type="consultation",
        link_id=consultation.slug,
        expires_at=consultation.closes_at,
    )
    followers = [
        follow.user
        for follow in OrganisationFollow.objects.filter(
            organisation_id=consultation.organisation_id
        ).select_related("user")
    ]
    push.notify(
        users=followers,
        kind=Kind.NEW_CONSULTATION,
        title=title,
        body=body,
        link_type="consultation",
        link_id=consultation.slug,
        collapse_key=key,
    )
    actors = (
        Actor.objects.filter(validated_at__isnull=False, email_consent=True)
        .filter(Q(communes__in=communes) | Q(themes__slug__in=themes))
        .select_related("owner")
        .distinct()
    )
    link = selectors.public_url(consultation)
    for actor in actors:
        with translation.override(actor.owner.language or settings.LANGUAGE_CODE):
            subject = _("New consultation: %(title)s") % {"title": consultation.title}
            text = "\n\n".join(
                [
                    _("Hello %(name)s,") % {"name": actor.name},
                    _("%(organisation)s opens a consultation on your communes or themes:")
                    % {"organisation": consultation.organisation.name},
                    f"{consultation.title}\n{consultation.summary}",
                    _("Take part until %(date)s: %(link)s")
                    % {
                        "date": timezone.localtime(consultation.closes_at).strftime("%d/%m/%Y"),
                        "link": link,
                    },
                    _(
                        "You receive this email because your organisation is in the actor "
                        "directory of %(territory)s and agreed to be told of consultations."
                    )
                    % {"territory": settings.TERRITORY_NAME},
                ]
            )
        push.email_queue(to=actor.contact_email, subject=subject, body_text=text, key=key)


def consultation_open_due(*, now: datetime | None = None) -> int:
    """The scheduled job: announce every published consultation whose opening date arrived."""
    now = now or timezone.now()
    sent = 0
    pending = Consultation.objects.open(now).filter(opening_alert_sent_at__isnull=True)
    for consultation in pending.select_related("organisation"):
        sent += consultation_alert_opening(consultation=consultation, now=now)
    return sent


def consultation_follow(*, consultation: Consultation, user: User) -> ConsultationFollow:
    return ConsultationFollow.objects.get_or_create(consultation=consultation, user=user)[0]


def consultation_unfollow(*, consultation: Consultation, user: User) -> None:
    ConsultationFollow.objects.filter(consultation=consultation, user=user).delete()


def organisation_follow(*, organisation: Organisation, user: User) -> OrganisationFollow:
    return OrganisationFollow.objects.get_or_create(organisation=organisation, user=user)[0]


def organisation_unfollow(*, organisation: Organisation, user: User) -> None:
    OrganisationFollow.objects.filter(organisation=organisation, user=user).delete()


def _notify_followers(
    consultation: Consultation, *, kind: str, title: dict[str, str], key: str
) -> None:
    if not consultation.is_published:
        return
    users = [f.user for f in consultation.follows.select_related("user")]
    push.notify(
        users=users,
        kind=kind,
        title=title,
        body={"fr": consultation.title, "en": consultation.title},
        link_type="consultation",
        link_id=consultation.slug,
        collapse_key=key,
    )


def phase_announce(*, phase: Phase) -> None:
    """Tell the followers of the consultation of a new step of its timeline."""
    _notify_followers(
        phase.consultation,
        kind=Kind.NEW_CONSULTATION,
        title=_both_languages(gettext_lazy("New phase: %(name)s"), name=phase.name),
        key=f"phase-{phase.pk}",
    )


def meeting_announce(*, meeting: Meeting) -> None:
    """Tell the followers of the consultation of a new meeting."""
    when = timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M")
    _notify_followers(
        meeting.consultation,
        kind=Kind.MEETING_REMINDERS,
        title=_both_languages(
            gettext_lazy("New meeting on %(date)s: %(title)s"), date=when, title=meeting.title
        ),
        key=f"meeting-{meeting.pk}",
    )


@transaction.atomic
def phase_create(
    *,
    consultation: Consultation,
    name: str,
    starts_on: date,
    ends_on: date | None = None,
    description: str = "",
    position: int = 0,
) -> Phase:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A phase cannot end before it starts.")})
    phase = Phase.objects.create(
        consultation=consultation,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        position=position,
    )
    phase_announce(phase=phase)
    return phase


@transaction.atomic
def meeting_create(*, consultation: Consultation, **fields: Any) -> Meeting:
    meeting = Meeting(consultation=consultation, **fields)
    meeting.full_clean(exclude=["consultation"])
    if meeting.registration == Meeting.Registration.EXTERNAL and not meeting.registration_url:
        raise ValidationError({"registration_url": _("An external registration needs a link.")})
    meeting.save()
    meeting_announce(meeting=meeting)
    return meeting


def document_fill_metadata(*, document: Document) -> Document:
    """Record the size of the uploaded file so lists never ask the storage."""
    document.size = document.file.size if document.file else 0
    return document


def document_add(
    *, consultation: Consultation, title: str, file: File, position: int = 0
) -> Document:
    document = Document(consultation=consultation, title=title, file=file, position=position)
    document_fill_metadata(document=document)
    document.full_clean(exclude=["consultation"])
    document.save()
    return document


def document_content_type(document: Document) -> str:
    return mimetypes.guess_type(document.file.name)[0] or "application/octet-stream"


# Meetings ----------------------------------------------------------------------------


@transaction.atomic
def meeting_register(*, meeting_id: int, user: User) -> MeetingRegistration:
    """Take a seat, or a place on the waiting list when the meeting is full.

    The meeting row is locked so that two people asking for the last seat are
    served one after the other: exactly one gets it.
    """
    meeting = Meeting.objects.select_for_update().select_related("consultation").get(pk=meeting_id)
    if meeting.registration != Meeting.Registration.PLATFORM:
        raise Conflict(_("This meeting takes no registration on the platform."))
    if meeting.starts_at <= timezone.now():
        raise Conflict(_("This meeting has already started."))
    existing = MeetingRegistration.objects.filter(meeting=meeting, user=user).first()
    if existing is not None:
        return existing
    confirmed = meeting.registrations.filter(status=MeetingRegistration.Status.CONFIRMED).count()
    full = meeting.capacity is not None and confirmed >= meeting.capacity
    return MeetingRegistration.objects.create(
        meeting=meeting,
        user=user,
        status=MeetingRegistration.Status.WAITING if full else MeetingRegistration.Status.CONFIRMED,
    )


@transaction.atomic
def meeting_unregister(*, meeting_id: int, user: User) -> MeetingRegistration | None:
    """Give up a seat; the first person waiting takes it. Returns who was promoted."""
    meeting = Meeting.objects.select_for_update().select_related("consultation").get(pk=meeting_id)
    registration = MeetingRegistration.objects.filter(meeting=meeting, user=user).first()
    if registration is None:
        return None
    freed = registration.status == MeetingRegistration.Status.CONFIRMED
    registration.delete()
    if not freed:
        return None
    promoted = (
        meeting.registrations.filter(status=MeetingRegistration.Status.WAITING)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    if promoted is None:
        return None
    promoted.status = MeetingRegistration.Status.CONFIRMED
    promoted.save(update_fields=["status"])
    push.notify(
        users=[promoted.user],
        kind=Kind.MEETING_REMINDERS,
        title=_both_languages(gettext_lazy("A seat is yours: %(title)s"), title=meeting.title),
        body={"fr": meeting.consultation.title, "en": meeting.consultation.title},
        link_type="consultation",
        link_id=meeting.consultation.slug,
    )
    return promoted


# Relaying other platforms ------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _unique_slug(base: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(base)[:100] or "consultation"
    candidate, index = base, 2
    while Consultation.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        candidate, index = f"{base}-{index}", index + 1
    return candidate


def _required_datetime(item: dict[str, Any], key: str) -> datetime:
    value = parse_datetime(str(item.get(key) or ""))
    if value is None:
        raise ValueError(f"{key} is not an ISO 8601 date-time")
    return value


def _import_item(item: dict[str, Any], *, source: str) -> bool:
    source_id = str(item["id"])
    source_org = item.get("organisation") or {}
    org_slug = slugify(source_org.get("slug") or source_org.get("name") or "")
    if not org_slug:
        raise ValueError("organisation has no slug")
    kinds = set(Organisation.Kind.values)
    organisation, _created = Organisation.objects.get_or_create(
        slug=org_slug,
        defaults={
            "name": str(source_org.get("name") or org_slug)[:200],
            "kind": source_org.get("kind") if source_org.get("kind") in kinds else "autre",
            "insee_code": str(source_org.get("insee_code") or "")[:5],
        },
    )
    opens_at, closes_at = (
        _required_datetime(item, "opens_at"),
        _required_datetime(item, "closes_at"),
    )
    if closes_at <= opens_at:
        raise ValueError("closes_at is not after opens_at")
    url = str(item.get("url") or "")
    if not url.startswith(("http://", "https://")):
        raise ValueError("url is not an http(s) link")
    kind = item.get("kind")
    legal_basis = item.get("legal_basis") or ""
    values = {
        "organisation": organisation,
        "title": str(item.get("title") or "")[:200] or source_id,
        "summary": str(item.get("summary") or ""),
        "body": sanitize_html(str(item.get("body") or "")),
        "kind": kind if kind in Consultation.Kind.values else Consultation.Kind.VOLUNTARY,
        "legal_basis": legal_basis if legal_basis in Consultation.LegalBasis.values else "",
        "opens_at": opens_at,
        "closes_at": closes_at,
        "external_url": url[:200],
        # Participation happens on the platform that owns it.
        "contributions_allowed": False,
        "comments_allowed": False,
        "is_published": True,
    }
    consultation = Consultation.objects.filter(source=source, source_id=source_id).first()
    created = consultation is None
    if created:
        consultation = Consultation(
            source=source,
            source_id=source_id,
            slug=_unique_slug(str(item.get("slug") or values["title"])),
            published_at=timezone.now(),
        )
    for name, value in values.items():
        setattr(consultation, name, value)
    consultation.save()
    themes = []
    for theme in item.get("themes") or []:
        slug = slugify(theme.get("slug") if isinstance(theme, dict) else theme)
        if slug:
            name = theme.get("name", slug) if isinstance(theme, dict) else slug
            themes.append(Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0])
    consultation.themes.set(themes)
    consultation.communes.set(Commune.objects.filter(insee_code__in=item.get("communes") or []))
    return created


def consultations_import(*, feed: dict[str, Any], source: str) -> ImportResult:
    """Relay the consultations of another platform's feed; the same feed twice changes nothing.

    Each item is keyed by (source, id at the source). A bad item is skipped and
    reported, the others are imported.
    """
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise ValueError("not a consultation feed: no items")
    result = ImportResult()
    for index, item in enumerate(feed["items"]):
        try:
            with transaction.atomic():
                created = _import_item(item, source=source)
        except (KeyError, ValueError, TypeError, AttributeError, IntegrityError) as error:
            result.errors.append(f"item {index}: {error}")
            continue
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result


# Actor directory ---------------------------------------------------------------------


@transaction.atomic
def actor_register(
    *,
    owner: User,
    kind: str,
    name: str,
    contact_email: str,
    description: str = "",
    website: str = "",
    communes: list[Commune] | None = None,
    themes: list[Theme] | None = None,
    email_consent: bool = False,
    is_public: bool = True,
) -> Actor:
    """Register an actor; it waits for an organisation admin before being listed."""
    actor = Actor.objects.create(
        owner=owner,
        kind=kind,
        name=name,
        contact_email=contact_email,
        description=description,
        website=website,
        email_consent=email_consent,
        is_public=is_public,
    )
    actor.communes.set(communes or [])
    actor.themes.set(themes or [])
    return actor


@transaction.atomic
def actor_update(
    *,
    actor: Actor,
    communes: list[Commune] | None = None,
    themes: list[Theme] | None = None,
    **fields: Any,
) -> Actor:
    for name, value in fields.items():
        setattr(actor, name, value)
    actor.save()
    if communes is not None:
        actor.communes.set(communes)
    if themes is not None:
        actor.themes.set(themes)
    return actor


def actor_validate(*, actor: Actor, by: User) -> Actor:
    if actor.validated_at is not None:
        raise Conflict(_("This actor is already validated."))
    actor.validated_at = timezone.now()
    actor.validated_by = by
    actor.save(update_fields=["validated_at", "validated_by"])
    return actor


# Contact messages --------------------------------------------------------------------


@transaction.atomic
def contact_message_create(
    *,
    kind: str,
    body: str,
    author: User | None = None,
    email: str = "",
    consultation: Consultation | None = None,
) -> ContactMessage:
    """Record a message for the organisation concerned and acknowledge it by email."""
    email = email or (author.email if author else "")
    if not email:
        raise ValidationError({"email": _("An email address is needed to answer you.")})
    if consultation is not None:
        organisation = consultation.organisation
    else:
        organisation = Organisation.objects.filter(
            slug=settings.CONTACT_DEFAULT_ORGANISATION
        ).first()
        if organisation is None:
            raise ValidationError({"consultation": _("Choose the consultation concerned.")})
    message = ContactMessage.objects.create(
        kind=kind,
        body=body,
        author=author,
        email=email,
        consultation=consultation,
        organisation=organisation,
    )
    with translation.override(author.language if author else settings.LANGUAGE_CODE):
        subject = _("We received your message")
        text = "\n\n".join(
            [
                _("Hello,"),
                _("%(organisation)s received your message and will answer you soon.")
                % {"organisation": organisation.name},
                "> " + body.replace("\n", "\n> "),
            ]
        )
    push.email_queue(to=email, subject=subject, body_text=text, key=f"contact-{message.pk}-ack")
    return message


def contact_message_redirect(
    *, message: ContactMessage, direction: Direction | None = None
) -> ContactMessage:
    """Hand the message to a direction: the one owning the consultation unless told otherwise."""
    if message.status == ContactMessage.Status.CLOSED:
        raise Conflict(_("This message is closed."))
    if direction is None and message.consultation is not None:
        direction = message.consultation.direction
    if direction is None:
        raise ValidationError({"direction": _("Choose the direction to redirect the message to.")})
    message.direction = direction
    message.status = ContactMessage.Status.REDIRECTED
    message.save(update_fields=["direction", "status"])
    return message


@transaction.atomic
def contact_message_reply(*, message: ContactMessage, body: str, by: User) -> ContactMessage:
    """Answer the sender by email."""
    if message.status == ContactMessage.Status.CLOSED:
        raise Conflict(_("This message is closed."))
    if not body.strip():
        raise ValidationError({"body": _("The reply is empty.")})
    message.reply = body
    message.replied_at = timezone.now()
    message.replied_by = by
    message.status = ContactMessage.Status.ANSWERED
    message.save(update_fields=["reply", "replied_at", "replied_by", "status"])
    language = message.author.language if message.author else settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("Answer to your message")
        text = "\n\n".join([body, "---", "> " + message.body.replace("\n", "\n> ")])
    push.email_queue(
        to=message.email,
        subject=subject,
        body_text=text,
        key=f"contact-{message.pk}-reply-{message.replied_at.timestamp()}",
    )
    return message


def contact_message_close(*, message: ContactMessage) -> ContactMessage:
    if message.status == ContactMessage.Status.CLOSED:
        raise Conflict(_("This message is already closed."))
    message.status = ContactMessage.Status.CLOSED
    message.closed_at = timezone.now()
    message.save(update_fields=["status", "closed_at"])
    return message
