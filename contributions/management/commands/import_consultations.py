"""Relay the consultations of another platform from its public JSON feed (idempotent)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from contributions.services.feeds import consultations_import

MAX_FEED_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = "Import the consultation feed (feed.json) of another platform: a URL or a file."

    def add_arguments(self, parser):
        parser.add_argument("location", help="URL (http/https) or path of the feed.json")
        parser.add_argument(
            "--source",
            default="",
            help="Name of the source platform (default: the feed's home page, else the location)",
        )

    def handle(self, *args, location: str, source: str, **options):
        feed = self._read(location)
        source = source or str(feed.get("home_page_url") or "") or location
        try:
            result = consultations_import(feed=feed, source=source[:300])
        except ValueError as error:
            raise CommandError(str(error)) from error
        for error in result.errors:
            self.stderr.write(error)
        self.stdout.write(
            f"{source}: {result.created} created, {result.updated} updated, "
            f"{len(result.errors)} skipped"
        )

    def _read(self, location: str) -> dict:
        try:
            if location.startswith(("http://", "https://")):
                request = urllib.request.Request(location, headers={"Accept": "application/json"})
                with urllib.request.urlopen(
                    request, timeout=settings.CONSULTATION_IMPORT_TIMEOUT
                ) as response:
                    raw = response.read(MAX_FEED_BYTES + 1)
            else:
                raw = Path(location).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {location}: {error}") from error
        if len(raw) > MAX_FEED_BYTES:
            raise CommandError(f"{location} is larger than {MAX_FEED_BYTES} bytes")
        try:
            feed = json.loads(raw)
        except ValueError as error:
            raise CommandError(f"{location} is not JSON: {error}") from error
        if not isinstance(feed, dict):
            raise CommandError(f"{location} is not a consultation feed")
        return feed
