"""Small permission classes, each with the message people get when refused."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from contributions.models import Actor, Consultation, ContactMessage, Contribution, Panel
from contributions.selectors._common import is_any_staff
from contributions.selectors.actors import can_validate_actors
from contributions.selectors.answers import can_answer
from contributions.selectors.consultations import can_publish
from contributions.selectors.contact import contact_messages_for, is_contact_staff
from contributions.selectors.moderation import is_any_moderator
from contributions.selectors.panel import is_participation_officer


class CanPublishConsultation(permissions.BasePermission):
    message = _("Only admins of the organisation or managers of its direction may publish it.")

    def has_object_permission(self, request: Request, view: Any, obj: Consultation) -> bool:
        return can_publish(user=request.user, consultation=obj)


class CanValidateActors(permissions.BasePermission):
    message = _("Only organisation admins may validate actors.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_validate_actors(user=request.user)


class IsActorOwner(permissions.BasePermission):
    message = _("Only the person who registered this actor may change it.")

    def has_object_permission(self, request: Request, view: Any, obj: Actor) -> bool:
        return request.method in permissions.SAFE_METHODS or obj.owner_id == request.user.pk


class IsContactStaff(permissions.BasePermission):
    """Moderators and admins of an organisation, and the directions messages are sent to."""

    message = _("Only the staff of the organisation may handle contact messages.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_contact_staff(user=request.user)

    def has_object_permission(self, request: Request, view: Any, obj: ContactMessage) -> bool:
        return contact_messages_for(user=request.user).filter(pk=obj.pk).exists()


class IsContributionAuthor(permissions.BasePermission):
    message = _("Only the author may change a contribution.")

    def has_object_permission(self, request: Request, view: Any, obj: Contribution) -> bool:
        return request.method in permissions.SAFE_METHODS or obj.author_id == request.user.pk


class IsNotContributionAuthor(permissions.BasePermission):
    message = _("You cannot flag your own contribution.")

    def has_object_permission(self, request: Request, view: Any, obj: Contribution) -> bool:
        return obj.author_id != request.user.pk


class IsModerator(permissions.BasePermission):
    message = _("Only the moderators of an organisation may moderate contributions.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_any_moderator(user=request.user)


class IsOrganisationStaff(permissions.BasePermission):
    message = _("Only the staff of an organisation may see this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_any_staff(user=request.user)


class CanAnswerContribution(permissions.BasePermission):
    message = _("Only the direction owning the consultation may answer its contributions.")

    def has_object_permission(self, request: Request, view: Any, obj: Contribution) -> bool:
        return can_answer(user=request.user, contribution=obj)


class CanWriteRestitution(permissions.BasePermission):
    message = _("Only the managers of the owning direction or organisation admins may do this.")

    def has_object_permission(self, request: Request, view: Any, obj: Consultation) -> bool:
        return request.method in permissions.SAFE_METHODS or can_publish(
            user=request.user, consultation=obj
        )


class IsParticipationOfficer(permissions.BasePermission):
    """The pool of a panel is personal data: its organisation's participation officers only."""

    message = _("Only the participation officers of the organisation may run the panel's draw.")

    def has_object_permission(self, request: Request, view: Any, obj: Panel) -> bool:
        return is_participation_officer(user=request.user, panel=obj)
