"""Announce consultations whose opening date arrived; run it from a timer (every few minutes)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from contributions import services


class Command(BaseCommand):
    help = "Send the opening alerts of consultations that became open (each exactly once)."

    def handle(self, *args, **options):
        sent = services.consultation_open_due()
        self.stdout.write(f"opening alerts sent: {sent}")
