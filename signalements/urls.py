from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from signalements import agent_views, map_views, views

router = SimpleRouter()
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("signalements", views.SignalementViewSet, basename="signalement")
router.register(
    "agent/signalements", agent_views.AgentSignalementViewSet, basename="agent-signalement"
)

urlpatterns = [
    # Before the router, whose detail route would take "map" for a report id.
    path("signalements/map/", map_views.SignalementMapView.as_view(), name="signalement-map"),
    path("me/signalements/", views.MySignalementsView.as_view(), name="me-signalements"),
    path(
        "stats/signalements/",
        agent_views.SignalementStatsView.as_view(),
        name="signalement-stats",
    ),
    *router.urls,
]
