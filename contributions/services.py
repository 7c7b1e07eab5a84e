"""Every write and side effect of consultations, meetings, actors and contact messages."""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import nh3
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import PermissionDenied

from backend.errors import Conflict
from backend.models import Direction, Organisation, User
from backend.validators import email_fold
from contributions import selectors
from contributions.models import (
    Actor,
    CharterReason,
    Consultation,
    ConsultationFollow,
    ContactMessage,
    Contribution,
    ContributionFlag,
    ContributionSupport,
    Document,
    Meeting,
    MeetingRegistration,
    ModerationDecision,
    OfficialAnswer,
    OrganisationFollow,
    Phase,
    Restitution,
    RestitutionDocument,
    Status,
    Theme,
)
from geo.models import Commune
from push import services as push
from push.models import Kind

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
    consultation_check_participation(consultation=meeting.consultation)
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


# What the validation vouched for: changing one of these lists the actor again only
# once an organisation admin has checked it (the new address gets no email before).
ACTOR_MATERIAL_FIELDS = frozenset({"kind", "name", "description", "website", "contact_email"})


@transaction.atomic
def actor_update(
    *,
    actor: Actor,
    communes: list[Commune] | None = None,
    themes: list[Theme] | None = None,
    **fields: Any,
) -> Actor:
    """The owner edits; a material change sends a validated actor back to validation."""
    changed = {name for name, value in fields.items() if getattr(actor, name) != value}
    for name, value in fields.items():
        setattr(actor, name, value)
    if changed & ACTOR_MATERIAL_FIELDS and actor.validated_at is not None:
        actor.validated_at = None
        actor.validated_by = None
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
    own_address = _is_own_address(message)
    with translation.override(author.language if author else settings.LANGUAGE_CODE):
        subject = _("We received your message")
        paragraphs = [
            _("Hello,"),
            _("%(organisation)s received your message and will answer you soon.")
            % {"organisation": organisation.name},
        ]
        if own_address:
            paragraphs.append(_quote(body))
        else:
            paragraphs.append(
                _(
                    "This message was sent from the contact form of %(territory)s with this "
                    "address. If you did not write it, you can ignore this email."
                )
                % {"territory": settings.TERRITORY_NAME}
            )
    if own_address:
        to, key = email, f"contact-{message.pk}-ack"
    else:
        # Anyone can type any address: it gets one acknowledgement a day at most, however
        # many messages are sent with it.
        to, key = email, f"contact-ack-{timezone.localdate():%Y-%m-%d}"
    push.email_queue(to=to, subject=subject, body_text="\n\n".join(paragraphs), key=key)
    return message


def _is_own_address(message: ContactMessage) -> bool:
    """Whether the message's address is its author's account address.

    Only then may an email quote the message: any other address was typed by whoever
    sent the form, and quoting their text to it would relay anything to anyone in the
    platform's name.
    """
    author = message.author
    return author is not None and email_fold(author.email) == email_fold(message.email)


def _quote(text: str) -> str:
    return "> " + text.replace("\n", "\n> ")


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
        # The sender's own text is quoted back only to their account address (see above).
        text = (
            "\n\n".join([body, "---", _quote(message.body)]) if _is_own_address(message) else body
        )
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


# Contributions -----------------------------------------------------------------------

MAX_CONTRIBUTION_LENGTH = 5000


class _Unset:
    """Marks an argument the caller left out (None means "remove")."""


UNSET: Any = _Unset()


def consultation_check_participation(*, consultation: Consultation) -> None:
    """Refuse (409) any participation outside a published consultation's opening.

    Contributing, commenting, supporting and registering to a meeting all make a
    participant (``selectors.participant_ids``), who may read a restitution kept
    for participants: each path goes through this one check.
    """
    if consultation.is_relayed or not consultation.is_published:
        raise Conflict(_("This consultation takes no participation on this platform."))
    status = consultation.status
    if status == Status.UPCOMING:
        raise Conflict(
            _(
                "This consultation is not open yet: contributions, supports and meeting "
                "registrations open on %(date)s."
            )
            % {"date": timezone.localtime(consultation.opens_at).strftime("%d/%m/%Y")}
        )
    if status != Status.OPEN:
        raise Conflict(
            _(
                "This consultation is closed: contributions, supports and meeting "
                "registrations are no longer possible."
            )
        )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("The text is empty.")})
    if len(body) > MAX_CONTRIBUTION_LENGTH:
        raise ValidationError(
            {
                "body": _("The text is limited to %(max)d characters.")
                % {"max": MAX_CONTRIBUTION_LENGTH}
            }
        )
    return body


def _place(consultation: Consultation, location: Point | None) -> Commune | None:
    """Check the point lies within the consultation's scope; return its commune."""
    if location is None:
        return None
    scoped = consultation.area is not None or consultation.communes.exists()
    if scoped and not (
        Consultation.objects.filter(pk=consultation.pk)
        .filter(Q(area__intersects=location) | Q(communes__geometry__intersects=location))
        .exists()
    ):
        raise ValidationError(
            {"location": _("This place is outside the perimeter of the consultation.")}
        )
    return Commune.objects.filter(geometry__intersects=location).order_by("pk").first()


def _check_theme(consultation: Consultation, theme: Theme | None) -> None:
    if theme is not None and not consultation.themes.filter(pk=theme.pk).exists():
        raise ValidationError({"theme": _("This theme is not one of the consultation's.")})


@transaction.atomic
def contribution_create(
    *,
    consultation: Consultation,
    author: User,
    kind: str,
    body: str,
    parent: Contribution | None = None,
    location: Point | None = None,
    theme: Theme | None = None,
) -> Contribution:
    """Write an idea, a question or a comment; published at once only under a posteriori."""
    consultation_check_participation(consultation=consultation)
    if kind == Contribution.Kind.COMMENT:
        if not consultation.comments_allowed:
            raise ValidationError({"kind": _("Comments are not enabled on this consultation.")})
        if parent is None:
            raise ValidationError({"parent": _("A comment replies to a contribution.")})
        if parent.consultation_id != consultation.pk:
            raise ValidationError(
                {"parent": _("This contribution belongs to another consultation.")}
            )
        if parent.state != Contribution.State.PUBLISHED:
            raise Conflict(_("Only published contributions can be answered with a comment."))
        if parent.depth + 1 > Contribution.MAX_DEPTH:
            raise ValidationError({"parent": _("Replies go two levels deep at most.")})
    else:
        if parent is not None:
            raise ValidationError({"parent": _("Only comments reply to a contribution.")})
        if not consultation.contributions_allowed:
            raise ValidationError({"kind": _("This consultation takes no contributions.")})
        if kind == Contribution.Kind.QUESTION and not consultation.questions_allowed:
            raise ValidationError({"kind": _("Questions are not enabled on this consultation.")})
    _check_theme(consultation, theme)
    now = timezone.now()
    immediate = consultation.moderation_mode == Consultation.Moderation.A_POSTERIORI
    return Contribution.objects.create(
        consultation=consultation,
        author=author,
        kind=kind,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        body=_clean_body(body),
        location=location,
        commune=_place(consultation, location),
        theme=theme,
        state=Contribution.State.PUBLISHED if immediate else Contribution.State.PENDING,
        published_at=now if immediate else None,
        created_at=now,
    )


@transaction.atomic
def contribution_update(
    *,
    contribution: Contribution,
    body: str | None = None,
    location: Point | None = UNSET,
    theme: Theme | None = UNSET,
) -> Contribution:
    """The author edits; under a priori moderation the text goes back to the queue."""
    consultation = contribution.consultation
    consultation_check_participation(consultation=consultation)
    if body is not None:
        contribution.body = _clean_body(body)
    if location is not UNSET:
        contribution.commune = _place(consultation, location)
        contribution.location = location
    if theme is not UNSET:
        _check_theme(consultation, theme)
        contribution.theme = theme
    contribution.edited_at = timezone.now()
    if consultation.moderation_mode == Consultation.Moderation.A_PRIORI:
        # What a moderator validated is no longer what is shown: it is checked again.
        contribution.state = Contribution.State.PENDING
    contribution.save()
    return contribution


def contribution_support(*, contribution: Contribution, user: User) -> ContributionSupport:
    consultation_check_participation(consultation=contribution.consultation)
    if contribution.state != Contribution.State.PUBLISHED:
        raise Conflict(_("Only published contributions can be supported."))
    support, _created = ContributionSupport.objects.get_or_create(
        contribution=contribution, user=user
    )
    return support


def contribution_unsupport(*, contribution: Contribution, user: User) -> None:
    # The supports of a closed consultation are its record (key figures): they stay.
    consultation_check_participation(consultation=contribution.consultation)
    ContributionSupport.objects.filter(contribution=contribution, user=user).delete()


def _reason_text(reason: CharterReason | None, message: str) -> str:
    parts = [f"{reason.article} – {reason.label}"] if reason else []
    if message:
        parts.append(message)
    return "\n".join(parts)


def contribution_flag(
    *, contribution_id: int, user: User, reason: CharterReason, comment: str = ""
) -> ContributionFlag:
    """Flag a published contribution; at the threshold it is hidden pending review.

    The contribution row is locked so that two flags crossing the threshold at
    the same time are counted one after the other: it is hidden, and moderators
    told, once.
    """
    with transaction.atomic():
        contribution = (
            Contribution.objects.select_for_update(of=("self",))
            .select_related("consultation")
            .get(pk=contribution_id)
        )
        organisation_id = contribution.consultation.organisation_id
        if contribution.author_id == user.pk:
            raise PermissionDenied(_("You cannot flag your own contribution."))
        if contribution.state != Contribution.State.PUBLISHED:
            raise Conflict(_("Only published contributions can be flagged."))
        if reason.organisation_id != organisation_id or not reason.is_active:
            raise ValidationError({"reason": _("Choose a reason of the organisation's charter.")})
        if ContributionFlag.objects.filter(contribution=contribution, user=user).exists():
            raise Conflict(_("You already flagged this contribution."))
        flag = ContributionFlag.objects.create(
            contribution=contribution, user=user, reason=reason, comment=comment
        )
        flags = contribution.flags.all()
        if contribution.reviewed_at is not None:
            # A moderator kept it: only the flags since then count.
            flags = flags.filter(created_at__gt=contribution.reviewed_at)
        if flags.count() < selectors.flag_threshold(organisation_id=organisation_id):
            return flag
        now = timezone.now()
        contribution.state = Contribution.State.HIDDEN
        contribution.flagged_at = now
        contribution.save(update_fields=["state", "flagged_at"])
        ModerationDecision.objects.create(
            organisation_id=organisation_id,
            contribution=contribution,
            moderator=None,
            action=ModerationDecision.Action.AUTO_HIDE,
            from_state=Contribution.State.PUBLISHED,
            to_state=Contribution.State.HIDDEN,
            created_at=now,
        )
        push.notify(
            users=selectors.organisation_moderators(organisation_id=organisation_id),
            kind=Kind.MODERATION,
            title=_both_languages(gettext_lazy("A contribution was hidden after flags")),
            body={"fr": contribution.consultation.title, "en": contribution.consultation.title},
            link_type="moderation",
            link_id=contribution.pk,
            collapse_key=f"contribution-{contribution.pk}-flagged-{now.timestamp()}",
        )
        return flag


_DECISIONS: dict[str, tuple[set[str], str]] = {
    ModerationDecision.Action.PUBLISH: ({Contribution.State.PENDING}, Contribution.State.PUBLISHED),
    ModerationDecision.Action.REJECT: ({Contribution.State.PENDING}, Contribution.State.REJECTED),
    ModerationDecision.Action.HIDE: ({Contribution.State.PUBLISHED}, Contribution.State.HIDDEN),
    ModerationDecision.Action.RESTORE: (
        {Contribution.State.HIDDEN, Contribution.State.REJECTED},
        Contribution.State.PUBLISHED,
    ),
}
REASON_REQUIRED = {ModerationDecision.Action.REJECT, ModerationDecision.Action.HIDE}
MODERATION_ACTIONS = list(_DECISIONS)

_DECISION_TITLES = {
    ModerationDecision.Action.PUBLISH: gettext_lazy("Your contribution is published"),
    ModerationDecision.Action.REJECT: gettext_lazy("Your contribution was rejected"),
    ModerationDecision.Action.HIDE: gettext_lazy("Your contribution was hidden"),
    ModerationDecision.Action.RESTORE: gettext_lazy("Your contribution is visible again"),
}


def moderation_decide(
    *,
    contribution_id: int,
    moderator: User,
    action: str,
    reason: CharterReason | None = None,
    message: str = "",
) -> Contribution:
    """Publish, reject, hide or restore; logged, and the author is told why."""
    if action not in _DECISIONS:
        raise ValidationError({"action": _("Unknown moderation action.")})
    with transaction.atomic():
        contribution = (
            Contribution.objects.select_for_update(of=("self",))
            .select_related("consultation", "author")
            .get(pk=contribution_id)
        )
        organisation_id = contribution.consultation.organisation_id
        sources, target = _DECISIONS[action]
        flagged = contribution.flagged_at is not None
        if flagged and action in (
            ModerationDecision.Action.PUBLISH,
            ModerationDecision.Action.HIDE,
        ):
            # Hidden by flags: publishing or restoring keeps it, hiding confirms it.
            sources = sources | {Contribution.State.HIDDEN}
        if contribution.state not in sources:
            raise Conflict(
                _("A contribution that is %(state)s cannot be given this decision.")
                % {"state": contribution.get_state_display()}
            )
        if action in REASON_REQUIRED and reason is None:
            raise ValidationError({"reason": _("Cite the rule of the charter this breaks.")})
        if reason is not None and reason.organisation_id != organisation_id:
            raise ValidationError({"reason": _("Choose a reason of the organisation's charter.")})
        now = timezone.now()
        from_state = contribution.state
        contribution.state = target
        contribution.flagged_at = None
        contribution.reviewed_at = now
        contribution.moderation_reason = reason
        contribution.moderation_message = message
        if target == Contribution.State.PUBLISHED and contribution.published_at is None:
            contribution.published_at = now
        contribution.save(
            update_fields=[
                "state",
                "flagged_at",
                "reviewed_at",
                "moderation_reason",
                "moderation_message",
                "published_at",
            ]
        )
        ModerationDecision.objects.create(
            organisation_id=organisation_id,
            contribution=contribution,
            moderator=moderator,
            action=action,
            from_state=from_state,
            to_state=target,
            reason=reason,
            message=message,
            created_at=now,
        )
        text = _reason_text(reason, message) or contribution.consultation.title
        push.notify(
            users=[contribution.author],
            kind=Kind.MODERATION,
            title=_both_languages(_DECISION_TITLES[action]),
            body={"fr": text, "en": text},
            link_type="contribution",
            link_id=contribution.pk,
            collapse_key=f"contribution-{contribution.pk}-decision-{now.timestamp()}",
        )
    return contribution


@transaction.atomic
def contribution_answer(
    *, contribution: Contribution, by: User, status: str, body: str
) -> OfficialAnswer:
    """The owning direction answers; the author and the supporters are told, once each."""
    if contribution.state != Contribution.State.PUBLISHED:
        raise Conflict(_("Only published contributions can be answered."))
    if contribution.kind == Contribution.Kind.COMMENT:
        raise Conflict(_("Comments get no official answer; answer the contribution instead."))
    answer, _created = OfficialAnswer.objects.update_or_create(
        contribution=contribution,
        defaults={
            "status": status,
            "body": _clean_body(body),
            "direction_id": contribution.consultation.direction_id,
            "author": by,
        },
    )
    supporters = [support.user for support in contribution.supports.select_related("user")]
    # One notification per person even if the author also supports their own idea.
    recipients = {user.pk: user for user in [contribution.author, *supporters] if user.pk != by.pk}
    title = _both_languages(
        gettext_lazy("Answer to a contribution: %(status)s"), status=answer.get_status_display()
    )
    summary = Truncator(answer.body).chars(180)
    push.notify(
        users=recipients.values(),
        kind=Kind.CONTRIBUTION_ANSWERS,
        title=title,
        body={"fr": summary, "en": summary},
        link_type="contribution",
        link_id=contribution.pk,
        collapse_key=f"contribution-{contribution.pk}-answer",
    )
    return answer


# Restitutions ------------------------------------------------------------------------


def restitution_check_visibility(consultation: Consultation, visibility: str) -> None:
    if (
        consultation.kind == Consultation.Kind.REGULATORY
        and visibility != Restitution.Visibility.PUBLIC
    ):
        raise ValidationError(
            {"visibility": _("The restitution of a regulatory consultation must be public.")}
        )


def restitution_save(
    *, consultation: Consultation, by: User, body: str, visibility: str
) -> Restitution:
    """Write (or correct) the restitution; key figures are computed, never typed."""
    restitution_check_visibility(consultation, visibility)
    restitution, _created = Restitution.objects.update_or_create(
        consultation=consultation,
        defaults={"body": sanitize_html(body), "visibility": visibility, "updated_by": by},
    )
    return restitution


def restitution_add_document(
    *, restitution: Restitution, title: str, file: File
) -> RestitutionDocument:
    document = RestitutionDocument(restitution=restitution, title=title, file=file)
    document.size = file.size or 0
    document.full_clean(exclude=["restitution"])
    document.save()
    return document


def restitution_publish(*, consultation: Consultation, now: datetime | None = None) -> Restitution:
    """Publish once the consultation is closed, and tell every participant exactly once.

    The conditional UPDATE is the guard: only the call that sets ``published_at``
    notifies; a second call (or a concurrent one) gets a 409.
    """
    now = now or timezone.now()
    restitution = Restitution.objects.filter(consultation=consultation).first()
    if restitution is None:
        raise Conflict(_("Write the restitution before publishing it."))
    if consultation.closes_at > now:
        raise Conflict(_("A restitution is published once the consultation is closed."))
    restitution_check_visibility(consultation, restitution.visibility)
    with transaction.atomic():
        claimed = Restitution.objects.filter(pk=restitution.pk, published_at__isnull=True).update(
            published_at=now
        )
        if not claimed:
            raise Conflict(_("This restitution is already published."))
        Consultation.objects.filter(pk=consultation.pk).update(restitution_published_at=now)
        restitution.published_at = consultation.restitution_published_at = now
        audience = User.objects.filter(
            pk__in=selectors.restitution_audience_ids(consultation), is_active=True
        )
        push.notify(
            users=audience,
            kind=Kind.RESTITUTIONS,
            title=_both_languages(
                gettext_lazy("Restitution published: %(title)s"), title=consultation.title
            ),
            body=_both_languages(gettext_lazy("See what came out of the consultation.")),
            link_type="consultation",
            link_id=consultation.slug,
            collapse_key=f"consultation-{consultation.pk}-restitution",
        )
    return restitution
