"""Models of the consultations app, one module per sub-domain.

- ``_common``: File types accepted for documents of consultations and restitutions.
- ``consultations``: Consultations, their themes, phases and status, and who follows them.
- ``meetings``: Public meetings of a consultation, registrations to them, and documents.
- ``actors``: The actor directory: local bodies told by email when a consultation opens.
- ``contact``: Messages sent through the contact form, handled by staff.
- ``moderation``: The moderation charter, each organisation's settings, and the decision log.
- ``contributions``: What participants write (ideas, questions, comments), supports, flags.
- ``answers``: The owning direction's official answer to a contribution.
- ``restitution``: The published results of a consultation and their documents.
- ``panel``: The citizen panel drawn by lot: its pool from the electoral lists and its draws.
"""

from contributions.models._common import DOCUMENT_EXTENSIONS
from contributions.models.actors import Actor, ActorQuerySet
from contributions.models.answers import OfficialAnswer
from contributions.models.consultations import (
    Consultation,
    ConsultationFollow,
    ConsultationQuerySet,
    OrganisationFollow,
    Phase,
    Status,
    Theme,
)
from contributions.models.contact import ContactMessage
from contributions.models.contributions import (
    Contribution,
    ContributionFlag,
    ContributionQuerySet,
    ContributionSupport,
)
from contributions.models.meetings import Document, Meeting, MeetingRegistration
from contributions.models.moderation import CharterReason, ModerationDecision, ModerationSettings
from contributions.models.panel import Panel, PanelVolunteer, PoolPerson
from contributions.models.restitution import Restitution, RestitutionDocument

__all__ = [
    "Actor",
    "ActorQuerySet",
    "CharterReason",
    "Consultation",
    "ConsultationFollow",
    "ConsultationQuerySet",
    "ContactMessage",
    "Contribution",
    "ContributionFlag",
    "ContributionQuerySet",
    "ContributionSupport",
    "DOCUMENT_EXTENSIONS",
    "Document",
    "Meeting",
    "MeetingRegistration",
    "ModerationDecision",
    "ModerationSettings",
    "OfficialAnswer",
    "OrganisationFollow",
    "Panel",
    "PanelVolunteer",
    "Phase",
    "PoolPerson",
    "Restitution",
    "RestitutionDocument",
    "Status",
    "Theme",
]
