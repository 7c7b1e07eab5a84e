"""Announce consultations whose opening date arrived; run it from a timer (every few minutes)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from contributions.services.consultations import consultation_open_due


class Command(BaseCommand):
    help = "Send the opening alerts of consultations that became open (each exactly once)."

    def handle(self, *args, **options):
        sent = consultation_open_due()
        self.stdout.write(f"opening alerts sent: {sent}")
