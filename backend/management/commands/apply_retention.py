"""Apply the personal data retention rules of every app (scheduled daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from backend import privacy


class Command(BaseCommand):
    help = "Anonymise and delete personal data past its retention period."

    def handle(self, *args, **options):
        for name, count in privacy.retention_apply(now=timezone.now()).items():
            self.stdout.write(f"{name}: {count}")
