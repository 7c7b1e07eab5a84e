"""Issue or revoke an Open311 API key: ``open311_key create|revoke``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from backend.models import Organisation
from signalements.open311 import services


class Command(BaseCommand):
    help = "Issue an Open311 API key (printed once) or revoke one by its prefix."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Issue a key and print it once.")
        create.add_argument("--organisation", required=True, help="Slug of the organisation.")
        create.add_argument("--name", required=True, help="Who uses the key.")
        create.add_argument(
            "--can-update",
            action="store_true",
            help="Allow pushing status updates on the organisation's reports.",
        )
        revoke = actions.add_parser("revoke", help="Revoke a key by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args, **options):
        if options["action"] == "revoke":
            try:
                key = services.api_key_revoke(prefix=options["prefix"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write(f"revoked: {key}")
            return
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']!r}.")
        key, raw = services.api_key_create(
            organisation=organisation, name=options["name"], can_update=options["can_update"]
        )
        self.stdout.write(f"key {key.key_prefix} for {organisation.name} (shown only once):")
        self.stdout.write(raw)
