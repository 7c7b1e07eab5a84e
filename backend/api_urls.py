from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from backend import views

router = DefaultRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", views.TokenObtainView.as_view(), name="auth-token"),
    path("auth/token/refresh/", views.TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/password/reset/", views.PasswordResetView.as_view(), name="auth-password-reset"),
    path(
        "auth/password/reset/confirm/",
        views.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/export/", views.MyDataExportView.as_view(), name="me-export"),
    path("me/password/", views.PasswordChangeView.as_view(), name="me-password"),
    path("me/directions/", views.MyDirectionsView.as_view(), name="me-directions"),
    path(
        "directions/<slug:slug>/members/",
        views.DirectionMembersView.as_view(),
        name="direction-members",
    ),
    *router.urls,
]
