from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from contributions import views

router = SimpleRouter()
router.register("consultations", views.ConsultationViewSet, basename="consultation")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("contact-messages", views.ContactMessageViewSet, basename="contact-message")
router.register("contributions", views.ContributionViewSet, basename="contribution")
router.register(
    "moderation/contributions", views.ModerationViewSet, basename="moderation-contribution"
)

urlpatterns = [
    path("consultations/feed.json", views.ConsultationFeedView.as_view(), name="consultation-feed"),
    path("consultations/feed.atom", views.consultation_atom, name="consultation-atom"),
    path("consultations/calendar.ics", views.calendar_all, name="consultation-calendar-all"),
    path(
        "consultations/<slug:slug>/calendar.ics",
        views.calendar_consultation,
        name="consultation-calendar",
    ),
    path(
        "consultations/<slug:slug>/meetings/<int:meeting_id>/calendar.ics",
        views.calendar_meeting,
        name="meeting-calendar",
    ),
    path(
        "consultations/<slug:slug>/meetings/<int:meeting_id>/registration/",
        views.MeetingRegistrationView.as_view(),
        name="meeting-registration",
    ),
    path(
        "organisations/<slug:slug>/follow/",
        views.OrganisationFollowView.as_view(),
        name="organisation-follow",
    ),
    path("contact/", views.ContactView.as_view(), name="contact"),
    path(
        "consultations/<slug:slug>/contributions/",
        views.ConsultationContributionsView.as_view(),
        name="consultation-contributions",
    ),
    path(
        "consultations/<slug:slug>/restitution/",
        views.RestitutionView.as_view(),
        name="consultation-restitution",
    ),
    path(
        "consultations/<slug:slug>/restitution/publish/",
        views.RestitutionPublishView.as_view(),
        name="consultation-restitution-publish",
    ),
    path(
        "consultations/<slug:slug>/restitution/documents/",
        views.RestitutionDocumentView.as_view(),
        name="consultation-restitution-documents",
    ),
    path("me/contributions/", views.MyContributionsView.as_view(), name="me-contributions"),
    path(
        "organisations/<slug:slug>/charter/",
        views.CharterView.as_view(),
        name="organisation-charter",
    ),
    path("moderation/log/", views.ModerationLogView.as_view(), name="moderation-log"),
    path("staff/restitutions/", views.StaffRestitutionsView.as_view(), name="staff-restitutions"),
    *router.urls,
]
