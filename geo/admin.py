from __future__ import annotations

from django.contrib import admin

from backend.admin import MapAdmin
from geo.models import Commune


@admin.register(Commune)
class CommuneAdmin(MapAdmin):
    list_display = ["name", "insee_code", "population", "organisation"]
    search_fields = ["name", "insee_code"]
    readonly_fields = ["updated_at"]
    exclude = ["geometry_simplified"]
