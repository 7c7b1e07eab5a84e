"""What an e-mail address and a name shown to the public may be, and their one written form."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

# Control, format (bidirectional overrides, zero-width characters...), separator and
# surrogate characters: invisible, or they reorder the text around a name.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def email_fold(value: str) -> str:
    """The written form under which an address is stored, compared and counted.

    NFKC then casefold, so that fullwidth letters, the Kelvin sign or "ſ" become the ASCII
    letters they stand for; surrounding spaces dropped; the domain in its ASCII (IDNA) form.
    Never refuses anything: lookups and counters use it on any input.
    """
    folded = unicodedata.normalize("NFKC", value).strip().casefold()
    local, at, domain = folded.rpartition("@")
    if not at or domain.isascii():
        return folded
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return folded


def normalize_email(value: str) -> str:
    """The written form of an address a person gives, or a ValidationError naming ``email``.

    The part before the @ must be ASCII once folded: a French public service has no resident
    whose mailbox needs more, and letters such as "ı" that PostgreSQL's UPPER() turns into
    "I" would name someone else's address. A domain may be internationalised (kept in its
    IDNA form), but not with a letter whose other case is an ASCII letter.
    """
    folded = unicodedata.normalize("NFKC", value).strip().casefold()
    local, at, domain = folded.rpartition("@")
    if at and not local.isascii():
        raise ValidationError(
            {
                "email": [
                    _(
                        "The part of the email address before the @ may not contain "
                        "accented or non-Latin letters."
                    )
                ]
            },
            code="email_not_ascii",
        )
    if any(
        not char.isascii() and (char.upper().isascii() or char.lower().isascii()) for char in domain
    ):
        raise ValidationError(
            {
                "email": [
                    _(
                        "The domain of the email address contains a letter that imitates "
                        "another one (such as “ı”)."
                    )
                ]
            },
            code="email_lookalike",
        )
    normalized = email_fold(folded)
    try:
        validate_email(normalized)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}, code="invalid") from error
    return normalized


def validate_email_address(value: str) -> None:
    """Model field validator: the address has a written form (see ``normalize_email``)."""
    try:
        normalize_email(value)
    except ValidationError as error:
        raise ValidationError(error.messages, code="invalid") from error


def normalize_display_name(value: str) -> str:
    """A name shown to the public, composed (NFC) and without surrounding spaces."""
    return unicodedata.normalize("NFC", value).strip()


def validate_display_name(value: str) -> None:
    """Refuse invisible characters in a name shown to others.

    A right-to-left override (U+202E) makes a name read backwards and the text after it,
    zero-width characters make two names look the same: neither belongs in a name.
    """
    if any(unicodedata.category(char) in _HIDDEN_CATEGORIES for char in value):
        raise ValidationError(
            _("This name may not contain invisible or control characters."),
            code="hidden_characters",
        )
