"""Enqueue recurring tasks when they fall due (run it beside the task workers)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from backend import schedule


class Command(BaseCommand):
    help = "Enqueue the recurring tasks that are due; with --loop, keep doing it."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=30.0)

    def handle(self, *args, **options):
        while True:
            for name in schedule.run_due():
                self.stdout.write(f"enqueued {name}")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
