"""Send what is due in the outboxes (a safety net beside the tasks; run it from a timer)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from push import outbox


class Command(BaseCommand):
    help = "Send due notifications, broadcasts and emails, and sync FCM topic subscriptions."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, polling.")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, **options):
        while True:
            sent = 0
            while handled := outbox.deliver_due():
                sent += handled
            synced = outbox.topics_sync()
            if options["verbosity"] > 1 or sent or synced:
                self.stdout.write(f"{sent} message(s) handled, {synced} device(s) synced")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
