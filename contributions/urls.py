from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from contributions.views.actors import ActorViewSet
from contributions.views.consultations import (
    ConsultationThemeViewSet,
    ConsultationViewSet,
    OrganisationFollowView,
)
from contributions.views.contact import ContactMessageViewSet, ContactView
from contributions.views.contributions import (
    ConsultationContributionsView,
    ContributionViewSet,
    MyContributionsView,
)
from contributions.views.feeds import ConsultationAtomView, ConsultationFeedView
from contributions.views.meetings import (
    AllMeetingsCalendarView,
    ConsultationCalendarView,
    MeetingCalendarView,
    MeetingRegistrationView,
)
from contributions.views.moderation import CharterView, ModerationLogView, ModerationViewSet
from contributions.views.panel import (
    MyPanelsView,
    PanelLettersView,
    PanelMembersView,
    PanelPublicFileView,
    PanelViewSet,
)
from contributions.views.restitution import (
    RestitutionDocumentView,
    RestitutionPublishView,
    RestitutionView,
    StaffRestitutionsView,
)

router = SimpleRouter()
router.register("consultations", ConsultationViewSet, basename="consultation")
router.register("consultation-themes", ConsultationThemeViewSet, basename="consultation-theme")
router.register("actors", ActorViewSet, basename="actor")
router.register("contact-messages", ContactMessageViewSet, basename="contact-message")
router.register("contributions", ContributionViewSet, basename="contribution")
router.register("moderation/contributions", ModerationViewSet, basename="moderation-contribution")
router.register("panels", PanelViewSet, basename="panel")

urlpatterns = [
    path("consultations/feed.json", ConsultationFeedView.as_view(), name="consultation-feed"),
    path("consultations/feed.atom", ConsultationAtomView.as_view(), name="consultation-atom"),
    path(
        "consultations/calendar.ics",
        AllMeetingsCalendarView.as_view(),
        name="consultation-calendar-all",
    ),
    path(
        "consultations/<slug:slug>/calendar.ics",
        ConsultationCalendarView.as_view(),
        name="consultation-calendar",
    ),
    path(
        "consultations/<slug:slug>/meetings/<int:meeting_id>/calendar.ics",
        MeetingCalendarView.as_view(),
        name="meeting-calendar",
    ),
    path(
        "consultations/<slug:slug>/meetings/<int:meeting_id>/registration/",
        MeetingRegistrationView.as_view(),
        name="meeting-registration",
    ),
    path(
        "organisations/<slug:slug>/follow/",
        OrganisationFollowView.as_view(),
        name="organisation-follow",
    ),
    path("contact/", ContactView.as_view(), name="contact"),
    path("panels/<slug:slug>/letters.csv", PanelLettersView.as_view(), name="panel-letters"),
    path("panels/<slug:slug>/members.csv", PanelMembersView.as_view(), name="panel-members"),
    path(
        "panels/<slug:slug>/volunteers.csv",
        PanelPublicFileView.as_view(kind="volunteers"),
        name="panel-volunteers-file",
    ),
    path(
        "panels/<slug:slug>/quotas.csv",
        PanelPublicFileView.as_view(kind="quotas"),
        name="panel-quotas-file",
    ),
    path("me/panels/", MyPanelsView.as_view(), name="me-panels"),
    path(
        "consultations/<slug:slug>/contributions/",
        ConsultationContributionsView.as_view(),
        name="consultation-contributions",
    ),
    path(
        "consultations/<slug:slug>/restitution/",
        RestitutionView.as_view(),
        name="consultation-restitution",
    ),
    path(
        "consultations/<slug:slug>/restitution/publish/",
        RestitutionPublishView.as_view(),
        name="consultation-restitution-publish",
    ),
    path(
        "consultations/<slug:slug>/restitution/documents/",
        RestitutionDocumentView.as_view(),
        name="consultation-restitution-documents",
    ),
    path("me/contributions/", MyContributionsView.as_view(), name="me-contributions"),
    path(
        "organisations/<slug:slug>/charter/",
        CharterView.as_view(),
        name="organisation-charter",
    ),
    path("moderation/log/", ModerationLogView.as_view(), name="moderation-log"),
    path("staff/restitutions/", StaffRestitutionsView.as_view(), name="staff-restitutions"),
    *router.urls,
]
