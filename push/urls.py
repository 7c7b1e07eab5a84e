from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from push import views

router = SimpleRouter()
router.register("devices", views.DeviceViewSet, basename="device")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/preferences/", views.MyPreferencesView.as_view(), name="me-preferences"),
    *router.urls,
]
