"""Registering, editing and validating the actors of the directory."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.errors import Conflict
from backend.models import User
from contributions.models import Actor, Theme
from geo.models import Commune


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
