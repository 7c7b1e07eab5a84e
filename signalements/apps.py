from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalementsConfig(AppConfig):
    name = "signalements"
    verbose_name = _("Signalements")

    def ready(self) -> None:
        from backend import schedule

        schedule.register(
            schedule.Job(
                "overdue-summary", "signalements.tasks.overdue_summary", daily_at=time(7, 0)
            )
        )
