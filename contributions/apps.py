from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "contributions"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from backend import schedule

        # Openings that come with time: the alert goes out within minutes of the opening date.
        schedule.register(
            schedule.Job(
                "consultations-open-due",
                "contributions.tasks.open_due_consultations",
                every=timedelta(minutes=5),
            )
        )
