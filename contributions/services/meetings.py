"""Meetings and documents of a consultation; seats and the waiting list."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.errors import Conflict
from backend.models import User
from contributions.models import Consultation, Document, Meeting, MeetingRegistration
from contributions.services.consultations import _notify_followers, consultation_check_participation
from push import services as push
from push.models import Kind
from push.texts import bilingual


def meeting_announce(*, meeting: Meeting) -> None:
    """Tell the followers of the consultation of a new meeting."""
    when = timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M")
    _notify_followers(
        meeting.consultation,
        kind=Kind.MEETING_REMINDERS,
        title=bilingual(
            gettext_lazy("New meeting on %(date)s: %(title)s"), date=when, title=meeting.title
        ),
        key=f"meeting-{meeting.pk}",
    )


def meeting_check_registration(*, registration: str, registration_url: str) -> None:
    if registration == Meeting.Registration.EXTERNAL and not registration_url:
        raise ValidationError({"registration_url": _("An external registration needs a link.")})


@transaction.atomic
def meeting_create(*, consultation: Consultation, **fields: Any) -> Meeting:
    meeting = Meeting(consultation=consultation, **fields)
    meeting.full_clean(exclude=["consultation"])
    meeting_check_registration(
        registration=meeting.registration, registration_url=meeting.registration_url
    )
    meeting.save()
    meeting_announce(meeting=meeting)
    return meeting


def document_fill_metadata(*, document: Document) -> Document:
    """Record the size of the uploaded file so lists never ask the storage."""
    document.size = document.file.size if document.file else 0
    return document


def document_add(
    *, consultation: Consultation, title: str, file: File, position: int = 0, title_en: str = ""
) -> Document:
    document = Document(
        consultation=consultation, title=title, title_en=title_en, file=file, position=position
    )
    document_fill_metadata(document=document)
    document.full_clean(exclude=["consultation"])
    document.save()
    return document


def document_content_type(document: Document) -> str:
    return mimetypes.guess_type(document.file.name)[0] or "application/octet-stream"


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
        title=bilingual(gettext_lazy("A seat is yours: %(title)s"), title=meeting.title),
        body=bilingual(meeting.consultation.title),
        link_type="consultation",
        link_id=meeting.consultation.slug,
    )
    return promoted
