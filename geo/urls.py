from __future__ import annotations

from rest_framework.routers import SimpleRouter

from geo import views

router = SimpleRouter()
router.register("communes", views.CommuneViewSet, basename="commune")

urlpatterns = router.urls
