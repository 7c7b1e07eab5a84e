"""Writes on accounts: registration, profile, passwords, erasure, token revocation."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth.models import update_last_login
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from backend import privacy, signals, validators
from backend.mail import email_send, render_text
from backend.models import User


def _check_password(password: str, user: User, field: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


def _names(*, first_name: str, last_name: str) -> dict[str, str]:
    """Names shown to others, composed; ValidationError naming the field they break."""
    names = {
        "first_name": validators.normalize_display_name(first_name)[:150],
        "last_name": validators.normalize_display_name(last_name)[:150],
    }
    for field, value in names.items():
        try:
            validators.validate_display_name(value)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from error
    return names


class EmailTaken(ValidationError):
    """The address already has an account: the person should log in or reset the password."""


def user_register(
    *, email: str, password: str, first_name: str = "", last_name: str = "", language: str = "fr"
) -> User:
    """Create an account; EmailTaken when the address has one (its owner is then told).

    Not one transaction: the e-mail to the owner of a taken address is queued although
    the registration is refused.
    """
    email = validators.normalize_email(email)
    names = _names(first_name=first_name, last_name=last_name)
    user = User(email=email, language=language, **names)
    _check_password(password, user, "password")
    user.set_password(password)
    if not User.objects.filter(email=email).exists():
        try:
            with transaction.atomic():
                user.save()
            return user
        except IntegrityError:
            pass  # registered by a concurrent request in the meantime
    _registration_attempt_notify(email=email)
    raise EmailTaken(
        {
            "email": ValidationError(
                _(
                    "This address already has an account: log in with it, or reset your "
                    "password if you have forgotten it."
                ),
                code="email_taken",
            )
        }
    )


def session_open(*, user: User, device_token: str = "") -> dict[str, object]:
    """Tokens for a person who registered or logged in, and the account they open.

    The phone that sends its FCM token moves to the account (``push`` adopts it, and its
    interests when the account has none).
    """
    refresh = RefreshToken.for_user(user)
    update_last_login(None, user)
    if device_token:
        signals.logged_in.send(sender=User, user=user, device_token=device_token)
    return {"access": str(refresh.access_token), "refresh": str(refresh), "user": user}


def _registration_attempt_notify(*, email: str) -> None:
    owner = User.objects.filter(email=email, is_active=True).first()
    if owner is None:
        return
    context = {
        "user": owner,
        "territory": settings.TERRITORY_NAME,
        "link": settings.FRONTEND_URL,
    }
    with translation.override(owner.language):
        email_send(
            to=owner.email,
            subject=_("Someone tried to create an account with your address"),
            body_text=render_text("backend/register_existing.txt", context),
            # At most one a day: repeated attempts must not flood the owner's mailbox.
            key=f"register-existing:{timezone.localdate().isoformat()}",
        )


def user_for_email(*, email: str, first_name: str = "", last_name: str = "") -> User:
    """The account of an address, made without a usable password when new.

    The person may claim it with a password reset. ValidationError naming the field when the
    address or a name is refused.
    """
    email = validators.normalize_email(email)
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        return existing
    names = _names(first_name=first_name, last_name=last_name)
    try:
        with transaction.atomic():
            return User.objects.create_user(email, None, **names)
    except IntegrityError:
        return User.objects.get(email=email)


def _lockout_keys(email: str) -> tuple[str, str]:
    # Folded like stored addresses: "ALICE@x.fr " and "ａｌｉｃｅ@x.fr" share one budget.
    digest = hashlib.sha256(validators.email_fold(email).encode("utf-8")).hexdigest()
    return f"login-failures:{digest}", f"login-locked:{digest}"


def login_lockout_remaining(*, email: str) -> int:
    """Seconds before this email may try to log in again (0 when it may)."""
    _, locked_key = _lockout_keys(email)
    until = cache.get(locked_key)
    return max(1, int(until - time.time())) if until and until > time.time() else 0


def login_failed(*, email: str) -> None:
    """Count a failed login; too many in a row lock the email out for a while."""
    failures_key, locked_key = _lockout_keys(email)
    cache.add(failures_key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    try:
        failures = cache.incr(failures_key)
    except ValueError:
        # The count expired between add and incr: this failure starts a new one.
        cache.set(failures_key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        failures = 1
    if failures >= settings.LOGIN_LOCKOUT_ATTEMPTS:
        cache.set(
            locked_key,
            time.time() + settings.LOGIN_LOCKOUT_SECONDS,
            timeout=settings.LOGIN_LOCKOUT_SECONDS,
        )
        cache.delete(failures_key)


def login_succeeded(*, email: str) -> None:
    cache.delete(_lockout_keys(email)[0])


def user_logout(*, refresh: str, device_token: str = "") -> None:
    """Revoke a refresh token; the phone that sends its FCM token stops getting this account's
    notifications. Raises TokenError for a token that is invalid or already revoked."""
    token = RefreshToken(refresh)
    token.blacklist()
    user = User.objects.filter(pk=token.get(jwt_settings.USER_ID_CLAIM)).first()
    if user is not None:
        signals.logged_out.send(sender=User, user=user, device_token=device_token)


def user_has_staff_role(*, user: User) -> bool:
    """Whether the person works for an organisation: a role in one or a seat in a direction.

    The staff workspace (``/app/``) is theirs; the back-office is only for ``is_staff``.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.organisation_roles.exists() or user.memberships.exists()


def user_update(*, user: User, **fields: str) -> User:
    for name, value in fields.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))
    return user


def tokens_revoke_all(*, user: User) -> None:
    """Blacklist every refresh token the user still holds."""
    for token in OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False):
        BlacklistedToken.objects.get_or_create(token=token)


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Close the account and remove the personal data it carries.

    The row stays so that public reports and contributions keep an anonymous
    author ("Deleted user"); the email is replaced by one that cannot be reached.
    """
    signals.user_erased.send(sender=User, user=user)
    privacy.user_data_erase(user=user)
    tokens_revoke_all(user=user)
    user.email = f"deleted-{user.pk}@invalid.invalid"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.memberships.all().delete()
    user.organisation_roles.all().delete()


def user_change_password(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationError({"old_password": [_("The current password is not correct.")]})
    _check_password(new_password, user, "new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    tokens_revoke_all(user=user)


def password_reset_request(*, email: str) -> None:
    """Queue a reset link when the address has an account; say nothing otherwise.

    The e-mail goes through the outbox: a mail server that is down neither fails this
    request nor tells the caller that the account exists.
    """
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "user": user,
        "uid": uid,
        "token": token,
        "link": f"{settings.FRONTEND_URL}/reinitialiser-mot-de-passe?uid={uid}&token={token}",
        "territory": settings.TERRITORY_NAME,
    }
    with translation.override(user.language):
        email_send(
            to=user.email,
            subject=_("Reset your password"),
            body_text=render_text("backend/password_reset.txt", context),
        )


def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    invalid = ValidationError({"token": [_("This reset link is invalid or has expired.")]})
    try:
        pk = force_str(urlsafe_base64_decode(uid))
        user = User.objects.get(pk=int(pk), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist) as error:
        raise invalid from error
    if not default_token_generator.check_token(user, token):
        raise invalid
    _check_password(new_password, user, "new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    tokens_revoke_all(user=user)
    return user
