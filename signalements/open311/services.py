"""Open311 writes: API keys, parameters, reports filed and status changes pushed by clients."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from backend.errors import Conflict
from backend.models import Organisation, User
from backend.parsers import datetime_in_range, parse_float, parse_int
from backend.services import user_for_email
from signalements import services as signalement_services
from signalements import workflow
from signalements.models import (
    Category,
    Question,
    RejectReason,
    Signalement,
    SignalementEvent,
    Status,
)
from signalements.open311.models import Open311ApiKey, Open311Request, Open311Update

logger = logging.getLogger(__name__)

MAX_DESCRIPTION = 4000
MAX_MEDIA_URL = 1000
# Posts per key and per minute; a client filing faster is broken or abusive.
POST_RATE_PER_MINUTE: int = settings.OPEN311_POSTS_PER_MINUTE

# Open or closed is the workflow's own word on each state.
CLOSED_STATUSES = frozenset(status for status in workflow.STATES if not workflow.is_open(status))

# mySociety's words for a status pushed by a client: the workflow state it asks for, and
# the reason for rejection. An update is a move like any other, through the workflow.
INCOMING_STATUSES: dict[str, tuple[str, str]] = {
    "OPEN": (Status.REOPENED, ""),
    "INVESTIGATING": (Status.ACKNOWLEDGED, ""),
    "ACTION_SCHEDULED": (Status.SCHEDULED, ""),
    "IN_PROGRESS": (Status.IN_PROGRESS, ""),
    "FIXED": (Status.RESOLVED, ""),
    "CLOSED": (Status.CLOSED, ""),
    "DUPLICATE": (Status.REJECTED, RejectReason.DUPLICATE),
    "NOT_COUNCILS_RESPONSIBILITY": (Status.REJECTED, RejectReason.NOT_OUR_COMPETENCE),
    "NO_FURTHER_ACTION": (Status.REJECTED, RejectReason.UNFOUNDED),
}

OUTGOING_STATUSES: dict[str, str] = {
    Status.NEW: "OPEN",
    Status.ACKNOWLEDGED: "INVESTIGATING",
    Status.SCHEDULED: "ACTION_SCHEDULED",
    Status.IN_PROGRESS: "IN_PROGRESS",
    Status.RESOLVED: "FIXED",
    Status.CLOSED: "CLOSED",
    Status.REOPENED: "OPEN",
}
REJECTED_WORDS: dict[str, str] = {
    RejectReason.DUPLICATE: "DUPLICATE",
    RejectReason.NOT_OUR_COMPETENCE: "NOT_COUNCILS_RESPONSIBILITY",
    RejectReason.UNFOUNDED: "NO_FURTHER_ACTION",
    RejectReason.ALREADY_DONE: "FIXED",
}


class Open311Error(Exception):
    """An answer in Open311's error shape: 400 bad parameter, 403 bad key, 404 unknown."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def bad_parameter(description: str) -> Open311Error:
    return Open311Error(400, description)


# Statuses -----------------------------------------------------------------------------------


def open311_status(status: str) -> str:
    """Open311 knows two statuses only: whether the workflow holds the report open."""
    return "open" if workflow.is_open(status) else "closed"


def update_word(*, status: str, reject_reason: str = "", kind: str = "") -> str:
    """mySociety's word for one of our statuses."""
    if kind == SignalementEvent.Kind.DUPLICATE:
        return "DUPLICATE"
    if status == Status.REJECTED:
        return REJECTED_WORDS.get(reject_reason, "NO_FURTHER_ACTION")
    return OUTGOING_STATUSES.get(status, "OPEN")


# API keys -----------------------------------------------------------------------------------


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_create(
    *, organisation: Organisation, name: str, can_update: bool = False
) -> tuple[Open311ApiKey, str]:
    """Issue a key; the clear key is returned once and never stored."""
    prefix = secrets.token_hex(4)
    while Open311ApiKey.objects.filter(key_prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    raw = f"{prefix}.{secrets.token_urlsafe(32)}"
    key = Open311ApiKey.objects.create(
        name=name,
        organisation=organisation,
        key_prefix=prefix,
        key_hash=_digest(raw),
        can_update=can_update,
    )
    return key, raw


def api_key_revoke(*, prefix: str) -> Open311ApiKey:
    key = Open311ApiKey.objects.filter(key_prefix=prefix).first()
    if key is None:
        raise ValidationError(_("No key starts with %(prefix)s.") % {"prefix": prefix})
    key.is_active = False
    key.save(update_fields=["is_active"])
    return key


def api_key_check(*, raw: str | None, for_update: bool = False) -> Open311ApiKey:
    """The active key matching ``raw``, or a 403; also counts the post against its rate."""
    if not raw:
        raise Open311Error(403, _("api_key is required."))
    prefix = raw.split(".", 1)[0][:16]
    key = Open311ApiKey.objects.filter(key_prefix=prefix, is_active=True).first()
    # Compare digests in constant time so the answer time says nothing about the key.
    if key is None or not hmac.compare_digest(key.key_hash, _digest(raw)):
        raise Open311Error(403, _("Invalid api_key."))
    if for_update and not key.can_update:
        raise Open311Error(403, _("This api_key may not push updates."))
    _throttle(key)
    now = timezone.now()
    Open311ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now
    return key


def _throttle(key: Open311ApiKey) -> None:
    window = int(timezone.now().timestamp() // 60)
    counter = f"open311:posts:{key.pk}:{window}"
    cache.add(counter, 0, timeout=120)
    try:
        count = cache.incr(counter)
    except ValueError:
        # The entry expired between add and incr: this post starts a new window.
        cache.set(counter, 1, timeout=120)
        count = 1
    if count > POST_RATE_PER_MINUTE:
        raise Open311Error(429, _("Too many requests with this api_key: try again in a minute."))


# Parameters ---------------------------------------------------------------------------------


def param(data: QueryDict, name: str) -> str | None:
    """A parameter's value; an empty one behaves as absent (the spec says so)."""
    value = data.get(name)
    if value is None:
        return None
    if "\x00" in value:
        # PostgreSQL cannot store nor even compare a NUL character.
        raise bad_parameter(_("%(name)s may not contain null characters.") % {"name": name})
    value = value.strip()
    return value or None


def param_list(data: QueryDict, name: str) -> list[str] | None:
    value = param(data, name)
    if value is None:
        return None
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or None


def param_datetime(data: QueryDict, name: str) -> datetime | None:
    value = param(data, name)
    if value is None:
        return None
    # An unencoded "+" of the offset reaches us as a space.
    candidates = [value, value.replace(" ", "+")]
    for candidate in candidates:
        try:
            parsed = parse_datetime(candidate)
            if parsed is None and (day := parse_date(candidate)) is not None:
                parsed = datetime(day.year, day.month, day.day)
        except ValueError:
            parsed = None
        if parsed is not None:
            return _within_calendar(parsed, name)
    raise bad_parameter(_("%(name)s must be an ISO 8601 date and time.") % {"name": name})


def _within_calendar(parsed: datetime, name: str) -> datetime:
    if not datetime_in_range(parsed):
        raise bad_parameter(
            _("%(name)s must be a date between the years 1900 and 9000.") % {"name": name}
        )
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def param_float(data: QueryDict, name: str, *, low: float, high: float) -> float | None:
    value = param(data, name)
    if value is None:
        return None
    number = parse_float(value, low=low, high=high)
    if number is None:
        raise bad_parameter(_("%(name)s must be a number.") % {"name": name})
    return number


def param_int(data: QueryDict, name: str, *, default: int, low: int, high: int) -> int:
    value = param(data, name)
    if value is None:
        return default
    number = parse_int(value, low=low, high=high)
    if number is None:
        raise bad_parameter(
            _("%(name)s must be a whole number from %(low)s to %(high)s.")
            % {"name": name, "low": low, "high": high}
        )
    return number


def param_ids(data: QueryDict, name: str) -> list[int] | None:
    items = param_list(data, name)
    if items is None:
        return None
    ids = [parse_int(item, low=1) for item in items]
    if None in ids:
        raise bad_parameter(_("%(name)s must be a comma-separated list of ids.") % {"name": name})
    return ids  # type: ignore[return-value]


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        parts = []
        for field, errors in error.error_dict.items():
            for message in ValidationError(errors).messages:
                parts.append(f"{field}: {message}")
        return " ".join(parts)
    return " ".join(error.messages)


def as_bad_parameter(error: ValidationError) -> Open311Error:
    return bad_parameter(_validation_message(error))


# Jurisdiction -------------------------------------------------------------------------------


def jurisdictions() -> list[str]:
    """The ``jurisdiction_id`` this endpoint serves: the slug of the territory's agglomeration.

    The spec lets a single-jurisdiction endpoint do without it; one that is given must be known.
    """
    return list(
        Organisation.objects.filter(
            kind=Organisation.Kind.AGGLOMERATION, parent__isnull=True
        ).values_list("slug", flat=True)
    )


def jurisdiction_check(*, data: QueryDict) -> None:
    """404, as the spec says, for a ``jurisdiction_id`` this endpoint does not serve."""
    value = param(data, "jurisdiction_id")
    if value is not None and value not in jurisdictions():
        raise Open311Error(404, _("Unknown jurisdiction_id: %(value)s.") % {"value": value[:100]})


# Filing a report ----------------------------------------------------------------------------

# The attribute a service requiring a photo declares; its value is the request's media_url.
PHOTO_ATTRIBUTE = "media_url"


def service_get(*, service_code: str) -> Category | None:
    """An active public category: the only kind a client may see or file."""
    return (
        Category.objects.filter(slug=service_code, is_active=True, is_public=True)
        .select_related("theme")
        .prefetch_related("questions")
        .first()
    )


def _attribute_error(code: str, message: str) -> Open311Error:
    return bad_parameter(f"attribute[{code}]: {message}")


def _answers(*, category: Category, data: QueryDict) -> dict[str, Any]:
    """``attribute[code]`` parameters, lists for multi-value questions."""
    questions = {q.code: q for q in category.questions.all() if q.variable}
    multi = {code for code, q in questions.items() if q.datatype == Question.Datatype.MULTI}
    answers: dict[str, Any] = {}
    for name in data:
        if not (name.startswith("attribute[") and "]" in name):
            continue
        code = name[len("attribute[") : name.index("]")]
        if code == PHOTO_ATTRIBUTE:
            continue  # read as the request's media_url
        values = [v.strip() for v in data.getlist(name) if v.strip()]
        if not values:
            continue
        if code not in questions:
            raise _attribute_error(code[:100], _("This service has no such attribute."))
        if code in multi:
            answers.setdefault(code, []).extend(values)
        else:
            answers[code] = values[-1]
    return answers


def reporter_for(*, email: str | None, first_name: str = "", last_name: str = "") -> User | None:
    """The account of the email, made without a usable password when new; none without email."""
    if email is None:
        return None
    try:
        validate_email(email)
    except ValidationError:
        raise bad_parameter(_("email is not a valid email address.")) from None
    return user_for_email(email=email, first_name=first_name, last_name=last_name)


def _media_url(value: str | None) -> str:
    if value is None:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise bad_parameter(_("media_url must be an http or https URL.")) from None
    if len(value) > MAX_MEDIA_URL:
        raise bad_parameter(_("media_url is too long."))
    return value


@dataclass(frozen=True)
class Filed:
    signalement: Signalement
    service_notice: str


def request_create(*, api_key: Open311ApiKey, data: QueryDict) -> Filed:
    """File a report for a client, through the app's own creation service."""
    service_code = param(data, "service_code")
    if service_code is None:
        raise bad_parameter(_("service_code is required."))
    category = service_get(service_code=service_code)
    if category is None:
        raise bad_parameter(_("Unknown service_code: %(code)s.") % {"code": service_code})
    latitude = param_float(data, "lat", low=-90, high=90)
    longitude = param_float(data, "long", low=-180, high=180)
    address = param(data, "address_string") or ""
    if latitude is None or longitude is None:
        if address and latitude is None and longitude is None:
            raise bad_parameter(_("lat/long required: this server does not geocode."))
        raise bad_parameter(_("lat and long are required."))
    description = param(data, "description") or ""
    if len(description) > MAX_DESCRIPTION:
        raise bad_parameter(_("description is longer than %(max)s.") % {"max": MAX_DESCRIPTION})
    media_url = _media_url(param(data, "media_url") or param(data, f"attribute[{PHOTO_ATTRIBUTE}]"))
    if category.photo_required and not media_url:
        raise bad_parameter(_("media_url is required: this service needs a photo of the problem."))
    answers = _answers(category=category, data=data)
    reporter = reporter_for(
        email=param(data, "email"),
        first_name=param(data, "first_name") or "",
        last_name=param(data, "last_name") or "",
    )
    # phone, device_id and account_id are not kept: nothing here needs them.
    try:
        with transaction.atomic():
            signalement = signalement_services.signalement_create(
                reporter=reporter,
                category=category,
                description=description,
                latitude=latitude,
                longitude=longitude,
                address=address[:300],
                # The person agreed to a third party's terms, not to show their name here.
                anonymous=True,
                answers=answers,
                # The client holds the photo and gives its URL, stored below.
                external_photo=bool(media_url),
            )
            signalement.source = Signalement.Source.OPEN311
            signalement.save(update_fields=["source"])
            Open311Request.objects.create(
                signalement=signalement, api_key=api_key, media_url=media_url
            )
    except ValidationError as error:
        raise _as_attribute_errors(error, category=category) from None
    return Filed(signalement=signalement, service_notice=service_notice(category))


def _as_attribute_errors(error: ValidationError, *, category: Category) -> Open311Error:
    """The report's refusal in Open311's words: an answer is the ``attribute[code]`` sent.

    ``signalements.services`` writes an answer's error as "code : message".
    """
    if not hasattr(error, "error_dict") or "answers" not in error.error_dict:
        return as_bad_parameter(error)
    codes = sorted((q.code for q in category.questions.all()), key=len, reverse=True)
    others = {field: errors for field, errors in error.error_dict.items() if field != "answers"}
    parts = [_validation_message(ValidationError(others))] if others else []
    for message in ValidationError(error.error_dict["answers"]).messages:
        code = next((c for c in codes if message.startswith(f"{c} : ")), None)
        if code is None:
            parts.append(f"attribute: {message}")
        else:
            parts.append(f"attribute[{code}]: {message[len(code) + 3 :]}")
    return bad_parameter(" ".join(parts))


def service_notice(category: Category) -> str:
    """The category's service levels, as a sentence for the resident."""
    parts = []
    if category.hours_to_acknowledge:
        parts.append(
            _("acknowledged within %(hours)s hours") % {"hours": category.hours_to_acknowledge}
        )
    if category.days_to_resolve:
        parts.append(_("dealt with within %(days)s days") % {"days": category.days_to_resolve})
    if not parts:
        return ""
    return _("Target: %(targets)s.") % {"targets": ", ".join(parts)}


# Updates pushed back ------------------------------------------------------------------------


def update_apply(*, api_key: Open311ApiKey, data: QueryDict) -> Open311Update:
    """Apply a client's status change once per (key, update_id), through the workflow."""
    request_ids = param_ids(data, "service_request_id")
    if not request_ids or len(request_ids) != 1:
        raise bad_parameter(_("service_request_id is required (one id)."))
    update_id = param(data, "update_id")
    if update_id is None or len(update_id) > 100:
        raise bad_parameter(_("update_id is required (at most 100 characters)."))
    word = (param(data, "status") or "").upper()
    if word not in INCOMING_STATUSES:
        raise bad_parameter(
            _("status must be one of %(words)s.") % {"words": ", ".join(INCOMING_STATUSES)}
        )
    happened_at = param_datetime(data, "updated_datetime")
    description = param(data, "description") or ""
    if len(description) > MAX_DESCRIPTION:
        raise bad_parameter(_("description is longer than %(max)s.") % {"max": MAX_DESCRIPTION})
    media_url = _media_url(param(data, "media_url"))

    stored = Open311Update.objects.filter(api_key=api_key, update_id=update_id).first()
    if stored is not None:
        return stored
    signalement = Signalement.objects.filter(pk=request_ids[0]).select_related("direction").first()
    if signalement is None:
        raise Open311Error(404, _("Unknown service_request_id."))
    direction = signalement.direction
    if direction is None or direction.organisation_id != api_key.organisation_id:
        raise Open311Error(403, _("This api_key may not update this request."))
    status, reject_reason = INCOMING_STATUSES[word]
    try:
        with transaction.atomic():
            # The row first: a retry racing this one waits on the unique constraint.
            update = Open311Update.objects.create(
                api_key=api_key,
                update_id=update_id,
                signalement=signalement,
                status=word,
                media_url=media_url,
                updated_at_source=happened_at,
            )
            event = workflow.transition(
                signalement=signalement,
                status=status,
                public_message=description,
                reject_reason=reject_reason,
                external=True,
            )
            update.event = event
            update.save(update_fields=["event"])
    except IntegrityError:
        stored = Open311Update.objects.filter(api_key=api_key, update_id=update_id).first()
        if stored is None:
            raise
        return stored
    except Conflict as error:
        raise bad_parameter(str(error.detail)) from None
    except ValidationError as error:
        raise as_bad_parameter(error) from None
    return update


def window(
    *,
    start: datetime | None,
    end: datetime | None,
    days: int = 90,
    default: bool = True,
) -> tuple[datetime | None, datetime | None]:
    """The spec's date window: at most ``days`` long, the last ``days`` by default."""
    span = timedelta(days=days)
    if start is not None and end is not None:
        if end < start:
            raise bad_parameter(_("end_date is before start_date."))
        if end - start > span:
            raise bad_parameter(
                _("start_date and end_date may be at most %(days)s days apart.") % {"days": days}
            )
        return start, end
    if start is not None:
        return start, start + span
    if end is not None:
        return end - span, end
    if default:
        return timezone.now() - span, None
    return None, None
