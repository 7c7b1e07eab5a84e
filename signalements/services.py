"""Every write about reports: routing, creation, photos, support, idempotent replays."""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.errors import Conflict
from backend.models import Direction, Membership, User
from geo.models import Commune
from geo.services import commune_locate
from push import services as push_services
from push.texts import bilingual
from signalements import images, workflow
from signalements.models import (
    Category,
    Follow,
    IdempotencyKey,
    Photo,
    Question,
    RoutingReason,
    RoutingRule,
    Signalement,
    SignalementEvent,
    Status,
)

logger = logging.getLogger(__name__)

MAX_PHOTOS = 5
MAX_DESCRIPTION = 4000
# The photo pipeline (signalements.photos) runs in this task. The task module imports
# these services, so they name it by its path rather than import it back.
PROCESS_PHOTO_TASK = "signalements.tasks.process_photo"


# Routing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoutingDecision:
    direction: Direction | None
    reason: str
    explanation: str
    rule: RoutingRule | None = None


def _triage(explanation: str) -> RoutingDecision:
    direction = Direction.objects.filter(
        slug=settings.SIGNALEMENT_TRIAGE_DIRECTION, is_active=True
    ).first()
    return RoutingDecision(
        direction=direction, reason=RoutingReason.TRIAGE, explanation=explanation
    )


def _decide(*, category: Category, point: Point, commune: Commune) -> RoutingDecision:
    rules = RoutingRule.objects.filter(
        category=category, is_active=True, direction__is_active=True
    ).select_related("direction")
    rule = rules.filter(area__intersects=point).order_by("-priority", "id").first()
    if rule is not None:
        return RoutingDecision(
            direction=rule.direction,
            reason=RoutingReason.RULE_AREA,
            explanation=_("Rule #%(id)s for the area where the problem is.") % {"id": rule.pk},
            rule=rule,
        )
    rule = rules.filter(commune=commune, area__isnull=True).order_by("-priority", "id").first()
    if rule is not None:
        return RoutingDecision(
            direction=rule.direction,
            reason=RoutingReason.RULE_COMMUNE,
            explanation=_("Rule #%(id)s for %(commune)s.")
            % {"id": rule.pk, "commune": commune.name},
            rule=rule,
        )
    if category.competence == Category.Competence.COMMUNE:
        direction = (
            Direction.objects.filter(organisation_id=commune.organisation_id, is_active=True)
            .order_by("id")
            .first()
            if commune.organisation_id
            else None
        )
        if direction is not None:
            return RoutingDecision(
                direction=direction,
                reason=RoutingReason.COMPETENCE_COMMUNE,
                explanation=_("Communal competence: the services of %(commune)s.")
                % {"commune": commune.name},
            )
        return _triage(
            _("Communal competence, but %(commune)s has no active direction: sent to triage.")
            % {"commune": commune.name}
        )
    direction = category.default_direction
    if direction is not None and direction.is_active:
        return RoutingDecision(
            direction=direction,
            reason=RoutingReason.COMPETENCE_AGGLOMERATION,
            explanation=_("Agglomeration competence: the category's default direction."),
        )
    return _triage(_("No rule and no active default direction: sent to triage."))


def signalement_route(*, category: Category, point: Point, commune: Commune) -> RoutingDecision:
    """Pick the direction for a report: area rule, commune rule, competence, then triage."""
    # Staff read the explanation in the back-office language, whatever the reporter's.
    with translation.override(settings.LANGUAGE_CODE):
        return _decide(category=category, point=point, commune=commune)


# Validation ---------------------------------------------------------------------------------


class AnswersInvalid(ValidationError):
    """Refused answers, the reasons kept by question code (the API's ``answers.<code>``)."""

    def __init__(self, by_code: dict[str, list[str]]) -> None:
        self.by_code = by_code
        super().__init__(
            {
                "answers": [
                    f"{code} : {message}"
                    for code, messages in by_code.items()
                    for message in messages
                ]
            }
        )


def _answer_error(question: Question, message: str) -> AnswersInvalid:
    return AnswersInvalid({question.code: [message]})


def _clean_answer(question: Question, value: Any) -> Any:
    datatype = question.datatype
    allowed = {str(item.get("key")) for item in question.values if isinstance(item, dict)}
    if datatype in (Question.Datatype.STRING, Question.Datatype.TEXT):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise _answer_error(question, _("A text is expected."))
        limit = 4000 if datatype == Question.Datatype.TEXT else 300
        text = str(value).strip()
        if "\x00" in text:
            # PostgreSQL cannot store a NUL character, in text or in JSON.
            raise _answer_error(question, _("A text is expected."))
        if len(text) > limit:
            raise _answer_error(question, _("At most %(limit)s characters.") % {"limit": limit})
        return text
    if datatype == Question.Datatype.NUMBER:
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise _answer_error(question, _("A number is expected.")) from None
        if isinstance(value, bool) or not number.is_finite() or not math.isfinite(float(number)):
            raise _answer_error(question, _("A number is expected."))
        return float(number)
    if datatype == Question.Datatype.DATETIME:
        try:
            parsed: datetime | None = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:
            # Well-formed but impossible, like the 31st of February.
            parsed = None
        if parsed is None:
            raise _answer_error(question, _("A date and time in ISO 8601 is expected."))
        return parsed.isoformat()
    if datatype == Question.Datatype.SINGLE:
        if str(value) not in allowed or isinstance(value, list | dict):
            raise _answer_error(question, _("This choice is not in the list."))
        return str(value)
    # Multi-value list: a list of keys (a single key is accepted as a list of one).
    values = value if isinstance(value, list) else [value]
    if not values or any(str(item) not in allowed for item in values):
        raise _answer_error(question, _("A choice is not in the list."))
    return [str(item) for item in values]


def signalement_answers_clean(*, category: Category, answers: dict[str, Any]) -> dict[str, Any]:
    """Check the answers against the category's questions; return them normalised."""
    questions = {q.code: q for q in category.questions.all() if q.variable}
    # Every refused answer is named at once, so the form can mark them all.
    errors = {
        str(code): [_("Unknown question: %(code)s.") % {"code": code}]
        for code in sorted(set(answers) - set(questions), key=str)
    }
    cleaned: dict[str, Any] = {}
    for code, question in questions.items():
        value = answers.get(code)
        try:
            if value is None or value == "" or value == []:
                if question.required:
                    raise _answer_error(question, _("An answer is required."))
                continue
            cleaned[code] = _clean_answer(question, value)
        except AnswersInvalid as error:
            errors.update(error.by_code)
    if errors:
        raise AnswersInvalid(errors)
    return cleaned


@dataclass(frozen=True)
class CheckedPhoto:
    file: UploadedFile
    image: images.InspectedImage


def photos_check(*, uploads: Sequence[UploadedFile], already: int = 0) -> list[CheckedPhoto]:
    """Decode every upload; refuse anything that is not a sound, reasonable image."""
    if already + len(uploads) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": [_("At most %(max)s photos per report.") % {"max": MAX_PHOTOS}]}
        )
    checked = []
    for upload in uploads:
        try:
            inspected = images.inspect_upload(upload, name=upload.name or "")
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
        checked.append(CheckedPhoto(file=upload, image=inspected))
    return checked


def territory_locate(*, latitude: float, longitude: float) -> Commune:
    """The commune of the point, or a validation error naming the location."""
    commune = commune_locate(point=Point(longitude, latitude, srid=4326))
    if commune is None:
        message = _("This place is outside the territory of %(territory)s.") % {
            "territory": settings.TERRITORY_NAME
        }
        # Named as the caller sent the place: a latitude and a longitude.
        raise ValidationError({"latitude": [message], "longitude": [message]})
    return commune


# Creation -----------------------------------------------------------------------------------


def signalement_create(
    *,
    reporter: User,
    category: Category,
    description: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    accuracy_m: float | None = None,
    address: str = "",
    anonymous: bool = False,
    answers: dict[str, Any] | None = None,
    photos: Sequence[UploadedFile] = (),
    external_photo: bool = False,
) -> Signalement:
    """File a report: validate everything, route it, save it with its photos in one go.

    ``external_photo``: a client of Open311 holds the photo and gives its URL, which stands
    for the photo a category may require.
    """
    if not category.is_active:
        raise ValidationError({"category": [_("Unknown or inactive category.")]})
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(
            {"description": [_("At most %(max)s characters.") % {"max": MAX_DESCRIPTION}]}
        )
    cleaned_answers = signalement_answers_clean(category=category, answers=answers or {})
    checked = photos_check(uploads=photos)
    if category.photo_required and not checked and not external_photo:
        raise ValidationError({"photos": [_("This category requires a photo.")]})
    if latitude is None or longitude is None:
        first = checked[0].image if checked else None
        if first is None or first.latitude is None or first.longitude is None:
            message = _("Give a location, or a photo that carries its GPS position.")
            raise ValidationError({"latitude": [message], "longitude": [message]})
        latitude, longitude = first.latitude, first.longitude
    commune = territory_locate(latitude=latitude, longitude=longitude)
    point = Point(longitude, latitude, srid=4326)
    decision = signalement_route(category=category, point=point, commune=commune)

    with transaction.atomic():
        signalement = Signalement.objects.create(
            category=category,
            description=description.strip(),
            location=point,
            accuracy_m=accuracy_m,
            address=address.strip(),
            commune=commune,
            direction=decision.direction,
            routing_rule=decision.rule,
            routing_reason=decision.reason,
            routing_explanation=decision.explanation[:300],
            reporter=reporter,
            anonymous=anonymous,
            is_public=category.is_public,
            answers=cleaned_answers,
        )
        workflow.filed(signalement=signalement, reporter=reporter)
        _photos_save(signalement=signalement, checked=checked, start=0)
    return signalement


def _photos_save(*, signalement: Signalement, checked: Sequence[CheckedPhoto], start: int) -> list:
    """Write the uploads (already checked) and queue their processing after the commit."""
    saved: list[Photo] = []
    try:
        for offset, item in enumerate(checked):
            photo = Photo(signalement=signalement, position=start + offset)
            extension = (item.image.format or "img").lower()
            item.file.seek(0)
            # A random name: the sender's file name may carry personal data.
            photo.original.save(f"{uuid.uuid4().hex}.{extension}", item.file, save=False)
            photo.save()
            saved.append(photo)
    except Exception:
        for photo in saved:
            photo.original.delete(save=False)
        raise
    ids = [photo.pk for photo in saved]
    if ids:
        transaction.on_commit(lambda: _enqueue_processing(ids))
    return saved


def _enqueue_processing(photo_ids: list[int]) -> None:
    process_photo = import_string(PROCESS_PHOTO_TASK)
    for photo_id in photo_ids:
        process_photo.enqueue(photo_id=photo_id)


def signalement_photos_add(
    *, signalement: Signalement, user: User, photos: Sequence[UploadedFile]
) -> list[Photo]:
    """Attach photos to a report after it was filed (reporter only)."""
    if signalement.reporter_id != user.pk:
        raise PermissionDenied(_("Only the reporter may add photos."))
    if not photos:
        raise ValidationError({"photos": [_("Send at least one photo.")]})
    with transaction.atomic():
        # Lock the report so two uploads at once cannot pass the limit together.
        locked = Signalement.objects.select_for_update().get(pk=signalement.pk)
        already = locked.photos.count()
        checked = photos_check(uploads=photos, already=already)
        return _photos_save(signalement=locked, checked=checked, start=already)


# Support ------------------------------------------------------------------------------------


def signalement_follow(*, signalement: Signalement, user: User) -> tuple[Follow, bool]:
    """Support a report ("moi aussi"); return the follow and whether it is new."""
    if signalement.reporter_id == user.pk:
        raise Conflict(_("You filed this report: you already follow it."))
    try:
        with transaction.atomic():
            return Follow.objects.get_or_create(signalement=signalement, user=user)
    except IntegrityError:
        # Two taps at once: the other request created it.
        return Follow.objects.get(signalement=signalement, user=user), False


def signalement_unfollow(*, signalement: Signalement, user: User) -> None:
    Follow.objects.filter(signalement=signalement, user=user).delete()


# Idempotency --------------------------------------------------------------------------------


def idempotent_call(
    *,
    user: User,
    key: str,
    scope: str,
    produce: Callable[[], tuple[int, Any]],
) -> tuple[int, Any]:
    """Run ``produce`` once per (user, key); a retry gets the first status and body back.

    The key row is inserted first, in the same transaction as the work: a racing retry blocks
    on the unique constraint until the first commits, then reads the stored answer. Errors
    roll everything back, the key included, so a corrected retry may reuse it.
    """
    if not key:
        return produce()
    if len(key) > 255:
        raise ValidationError({"Idempotency-Key": [_("At most 255 characters.")]})
    stored = IdempotencyKey.objects.filter(user=user, key=key).first()
    if stored is None:
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user=user, key=key, scope=scope)
                status, body = produce()
                record.response_status, record.response_body = status, body
                record.save(update_fields=["response_status", "response_body"])
                return status, body
        except IntegrityError:
            stored = IdempotencyKey.objects.filter(user=user, key=key).first()
            if stored is None or stored.response_status is None:
                raise
    if stored.scope != scope:
        raise Conflict(_("This Idempotency-Key was already used for another request."))
    return stored.response_status, stored.response_body


# Field service: the workflow ---------------------------------------------------------------
# The moves, their guards and their effects live in signalements.workflow; these are the
# entry points the views, Open311 and the back-office call.


@transaction.atomic
def signalement_transition(
    *,
    signalement: Signalement,
    actor: User | None = None,
    status: str,
    public_message: str = "",
    internal_note: str = "",
    reject_reason: str = "",
    photo: UploadedFile | None = None,
    external: bool = False,
) -> SignalementEvent:
    """Move a report to another status through the workflow, with an optional photo.

    ``external`` is a city system pushing its own status change (Open311), held to
    the same table as staff. Raises Conflict (409) for a move the workflow forbids.
    """
    event = workflow.transition(
        signalement=signalement,
        actor=actor,
        status=status,
        public_message=public_message,
        internal_note=internal_note,
        reject_reason=reject_reason,
        external=external,
    )
    if photo is not None:
        # A refused photo rolls the move back with it.
        checked = photos_check(uploads=[photo])
        photos = _photos_save(signalement=event.signalement, checked=checked, start=100)
        Photo.objects.filter(pk__in=[p.pk for p in photos]).update(event=event)
    return event


@transaction.atomic
def signalement_assign(*, signalement: Signalement, actor: User, agent: User | None) -> Signalement:
    """Give the report to an agent of its direction (a manager, or an agent taking it)."""
    signalement = workflow.locked(signalement)
    if agent is not None:
        if not Signalement.objects.for_agent(agent).filter(pk=signalement.pk).exists():
            raise ValidationError({"agent": [_("This person is not a member of the direction.")]})
        is_manager = (
            actor.is_superuser
            or Membership.objects.filter(
                user=actor, direction_id=signalement.direction_id, role=Membership.Role.MANAGER
            ).exists()
        )
        if agent.pk != actor.pk and not is_manager:
            raise PermissionDenied(_("Only a manager assigns a report to someone else."))
    signalement.assigned_to = agent
    signalement.save(update_fields=["assigned_to", "updated_at"])
    SignalementEvent.objects.create(
        signalement=signalement,
        kind=SignalementEvent.Kind.ASSIGN,
        internal_note=agent.display_name if agent else "",
        direction_id=signalement.direction_id,
        author=actor,
        is_public=False,
    )
    if agent is not None and agent.pk != actor.pk:
        workflow.tell_assignee(
            signalement,
            bilingual(gettext_lazy("Report #%(number)s is yours"), number=signalement.pk),
        )
    return signalement


def signalement_transfer(
    *, signalement: Signalement, actor: User, direction: Direction, reason: str
) -> Signalement:
    """Hand the report to another direction (of this or another organisation)."""
    return workflow.transfer(
        signalement=signalement, actor=actor, direction=direction, reason=reason
    )


def signalement_mark_duplicate(
    *, signalement: Signalement, actor: User, original: Signalement
) -> Signalement:
    """Reject a report as a duplicate of another, through the workflow."""
    return workflow.mark_duplicate(
        signalement=signalement, actor=actor, original=original
    ).signalement


def signalement_note_add(*, signalement: Signalement, actor: User, text: str) -> SignalementEvent:
    if not text.strip():
        raise ValidationError({"text": [_("This field may not be blank.")]})
    return SignalementEvent.objects.create(
        signalement=signalement,
        kind=SignalementEvent.Kind.NOTE,
        internal_note=text.strip(),
        direction_id=signalement.direction_id,
        author=actor,
        is_public=False,
    )


@transaction.atomic
def signalement_recategorise(
    *, signalement: Signalement, actor: User, category: Category
) -> Signalement:
    """Staff change the category: routing runs again and the hop is recorded."""
    signalement = workflow.locked(signalement)
    if not category.is_active:
        raise ValidationError({"category": [_("Unknown or inactive category.")]})
    previous = signalement.category
    decision = signalement_route(
        category=category, point=signalement.location, commune=signalement.commune
    )
    signalement.category = category
    signalement.is_public = signalement.is_public and category.is_public
    if decision.direction and decision.direction.pk != signalement.direction_id:
        signalement.assigned_to = None
    signalement.direction = decision.direction
    signalement.routing_rule = decision.rule
    signalement.routing_reason = decision.reason
    signalement.routing_explanation = decision.explanation[:300]
    workflow.due_dates_set(signalement=signalement)
    signalement.save()
    SignalementEvent.objects.create(
        signalement=signalement,
        kind=SignalementEvent.Kind.CATEGORY,
        message=_("Category changed from %(old)s to %(new)s.")
        % {"old": previous.name, "new": category.name},
        internal_note=decision.explanation,
        direction=decision.direction,
        author=actor,
        is_public=True,
    )
    return signalement


def overdue_summary_send() -> int:
    """Email the managers of each direction the list of its overdue reports, once a day."""
    now = timezone.now()
    today = timezone.localdate(now).isoformat()
    overdue = (
        Signalement.objects.overdue(now)
        .exclude(direction=None)
        .select_related("category", "commune", "direction")
        .order_by("direction_id", "resolve_due_at")
    )
    by_direction: dict[int, list[Signalement]] = {}
    for signalement in overdue:
        by_direction.setdefault(signalement.direction_id, []).append(signalement)
    queued = 0
    for direction_id, reports in by_direction.items():
        direction = reports[0].direction
        managers = User.objects.filter(
            is_active=True,
            memberships__direction_id=direction_id,
            memberships__role=Membership.Role.MANAGER,
        )
        lines = [
            f"#{r.pk} {r.category.name} — {r.commune.name} — "
            f"{Status(r.status).label} — "
            f"{timezone.localtime(r.resolve_due_at):%d/%m/%Y}"
            if r.resolve_due_at
            else f"#{r.pk} {r.category.name} — {r.commune.name}"
            for r in reports
        ]
        for manager in managers:
            with translation.override(manager.language):
                subject = _("%(count)d overdue report(s) — %(direction)s") % {
                    "count": len(reports),
                    "direction": direction.name,
                }
                body = "\n".join([_("Reports of your direction past their due date:"), "", *lines])
            if push_services.email_queue(
                to=manager.email,
                subject=subject,
                body_text=body,
                key=f"overdue-{direction_id}-{today}",
            ):
                queued += 1
    return queued


def map_cells_rebuild() -> int | None:
    """Recount the map's per-cell counts from the reports; None off PostgreSQL.

    Triggers keep the counts as reports change; this is for after a bulk load made with
    the triggers disabled. Writers to the reports wait while it runs.
    """
    if connection.vendor != "postgresql":
        return None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT signalements_mapcell_rebuild() + signalements_mapcellmonth_rebuild() "
            "+ signalements_mapcellperiod_rebuild()"
        )
        return cursor.fetchone()[0]


def stats_rebuild() -> int | None:
    """Recount the public figures' counts and delays by period from the reports; None off
    PostgreSQL. Triggers keep them as reports change; writers wait while it runs."""
    if connection.vendor != "postgresql":
        return None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT signalements_statsperiod_rebuild()")
        return cursor.fetchone()[0]
