from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackendConfig(AppConfig):
    name = "backend"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from backend import schedule

        schedule.register(
            schedule.Job(
                "flush-expired-tokens", "backend.tasks.flush_expired_tokens", daily_at=time(3, 0)
            )
        )
        schedule.register(
            schedule.Job("apply-retention", "backend.tasks.apply_retention", daily_at=time(3, 30))
        )
