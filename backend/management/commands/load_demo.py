"""Load the demo data of every app, in the order of INSTALLED_APPS. Idempotent."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load (or refresh) the demo data: Nîmes Métropole, its communes, accounts and more."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            import_module(module_name).load()
            self.stdout.write(f"demo data loaded: {config.label}")
