"""Contact messages: acknowledgement, redirection, reply, closing."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.errors import Conflict
from backend.models import Direction, Organisation, User
from backend.validators import email_fold
from contributions.models import Consultation, ContactMessage
from push import services as push


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
