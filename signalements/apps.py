from datetime import time, timedelta

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
        # Photos a dead worker left processing are taken up again.
        schedule.register(
            schedule.Job(
                "photos-sweep", "signalements.tasks.sweep_photos", every=timedelta(minutes=5)
            )
        )
