"""Writing and publishing the restitution of a consultation."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.errors import Conflict
from backend.models import User
from contributions.models import Consultation, Restitution, RestitutionDocument
from contributions.selectors.restitution import restitution_audience_ids
from contributions.services._common import sanitize_html
from push import services as push
from push.models import Kind
from push.texts import bilingual


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
            pk__in=restitution_audience_ids(consultation), is_active=True
        )
        push.notify(
            users=audience,
            kind=Kind.RESTITUTIONS,
            title=bilingual(
                gettext_lazy("Restitution published: %(title)s"), title=consultation.title
            ),
            body=bilingual(gettext_lazy("See what came out of the consultation.")),
            link_type="consultation",
            link_id=consultation.slug,
            collapse_key=f"consultation-{consultation.pk}-restitution",
        )
    return restitution
