"""Recount the public figures' counts by period from the reports (PostgreSQL): ``stats_rebuild``."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from signalements import services


class Command(BaseCommand):
    help = (
        "Recount the public figures' counts and delays by day and month from the reports. "
        "The database keeps them by itself; this is for after a bulk load with triggers "
        "disabled, or to check them."
    )

    def handle(self, *args, **options):
        rows = services.stats_rebuild()
        if rows is None:
            self.stdout.write("Nothing to do: the kept figures live only on PostgreSQL.")
            return
        self.stdout.write(self.style.SUCCESS(f"{rows} rows of figures counted."))
