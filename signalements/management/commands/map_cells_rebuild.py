"""Recount the map's cells from the reports (PostgreSQL): ``map_cells_rebuild``."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from signalements import services


class Command(BaseCommand):
    help = (
        "Recount the map's per-cell counts from the reports. The database keeps them by "
        "itself; this is for after a bulk load with triggers disabled, or to check them."
    )

    def handle(self, *args, **options):
        rows = services.map_cells_rebuild()
        if rows is None:
            self.stdout.write("Nothing to do: the map counts live only on PostgreSQL.")
            return
        self.stdout.write(self.style.SUCCESS(f"{rows} map cells counted."))
