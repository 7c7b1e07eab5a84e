from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AdminConfig(admin_apps.AdminConfig):
    """Django's back-office, on a site whose login is guarded like the API's."""

    default = False  # BackendConfig stays the configuration of "backend".
    default_site = "backend.admin_site.AdminSite"


class BackendConfig(AppConfig):
    name = "backend"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from backend import branding, object_storage, throttling

        checks.register(throttling.check_shared_cache, checks.Tags.caches, deploy=True)
        checks.register(branding.check_branding, "branding")
        checks.register(object_storage.check_object_storage, "storage")
