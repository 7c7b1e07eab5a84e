from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from backend.views import (
    health,
    resident_app,
    resident_icon,
    resident_manifest,
    resident_service_worker,
    staff_app,
)

api_v1 = [
    path("", include("backend.api_urls")),
    path("", include("geo.urls")),
    path("", include("push.urls")),
    path("", include("signalements.urls")),
    path("", include("contributions.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("open311/v2/", include("signalements.open311.urls")),
    path("healthz", health, name="healthz"),
    path("app/", staff_app, name="staff-app"),
    path("citoyen/", resident_app, name="resident-app"),
    path("citoyen/manifest.webmanifest", resident_manifest, name="resident-manifest"),
    path("citoyen/sw.js", resident_service_worker, name="resident-service-worker"),
    path("citoyen/icon-<int:size>.png", resident_icon, name="resident-icon"),
    path("admin/", admin.site.urls),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]

handler400 = "backend.errors.bad_request"
handler403 = "backend.errors.permission_denied"
handler404 = "backend.errors.page_not_found"
handler500 = "backend.errors.server_error"
