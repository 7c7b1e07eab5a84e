"""Publishing consultations and their opening alert; phases, follows, the participation check."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.errors import Conflict
from backend.models import Organisation, User
from contributions.models import (
    Actor,
    Consultation,
    ConsultationFollow,
    OrganisationFollow,
    Phase,
    Status,
)
from contributions.selectors.consultations import public_url
from contributions.selectors.panel import panel_members
from push import services as push
from push.models import Kind
from push.texts import bilingual


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
    title = bilingual(gettext_lazy("New consultation: %(title)s"), title=consultation.title)
    summary = Truncator(consultation.summary).chars(180)
    body = (
        bilingual(summary)
        if summary
        else bilingual(
            gettext_lazy("%(organisation)s invites you to take part."),
            organisation=consultation.organisation.name,
        )
    )
    if consultation.panel_id:
        # A panel's consultation is its members' only: no broadcast, no actors' e-mail.
        push.notify(
            users=panel_members(panel_id=consultation.panel_id),
            kind=Kind.NEW_CONSULTATION,
            title=title,
            body=body,
            link_type="consultation",
            link_id=consultation.slug,
            collapse_key=key,
        )
        return
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
    link = public_url(consultation)
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
        body=bilingual(consultation.title),
        link_type="consultation",
        link_id=consultation.slug,
        collapse_key=key,
    )


def phase_announce(*, phase: Phase) -> None:
    """Tell the followers of the consultation of a new step of its timeline."""
    _notify_followers(
        phase.consultation,
        kind=Kind.NEW_CONSULTATION,
        title=bilingual(gettext_lazy("New phase: %(name)s"), name=phase.name),
        key=f"phase-{phase.pk}",
    )


def phase_check_dates(*, starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A phase cannot end before it starts.")})


@transaction.atomic
def phase_create(
    *,
    consultation: Consultation,
    name: str,
    starts_on: date,
    ends_on: date | None = None,
    description: str = "",
    position: int = 0,
    name_en: str = "",
    description_en: str = "",
) -> Phase:
    phase_check_dates(starts_on=starts_on, ends_on=ends_on)
    phase = Phase.objects.create(
        consultation=consultation,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        position=position,
        name_en=name_en,
        description_en=description_en,
    )
    phase_announce(phase=phase)
    return phase


def consultation_check_participation(*, consultation: Consultation) -> None:
    """Refuse (409) any participation outside a published consultation's opening.

    Contributing, commenting, supporting and registering to a meeting all make a
    participant (``selectors.restitution.participant_ids``), who may read a restitution kept
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
