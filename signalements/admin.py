from __future__ import annotations

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from signalements.models import (
    Category,
    Follow,
    Photo,
    Question,
    RoutingRule,
    Signalement,
    SignalementEvent,
    Theme,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_active", "updated_at"]
    prepopulated_fields = {"slug": ["name"]}


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "theme",
        "competence",
        "default_direction",
        "is_public",
        "photo_required",
        "is_active",
    ]
    list_filter = ["theme", "competence", "is_public", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["default_direction"]
    inlines = [QuestionInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(GISModelAdmin):
    list_display = ["category", "commune", "direction", "priority", "is_active", "note"]
    list_filter = ["category", "is_active"]
    autocomplete_fields = ["commune", "direction"]
    # Centred on Nîmes: the admin draws areas on an OpenLayers map.
    gis_widget_kwargs = {"attrs": {"default_lon": 4.36, "default_lat": 43.84, "default_zoom": 11}}


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    readonly_fields = ["status", "large", "thumbnail", "width", "height"]
    fields = ["position", "status", "large", "thumbnail", "width", "height"]


class EventInline(admin.TabularInline):
    model = SignalementEvent
    extra = 0
    fields = ["kind", "status", "message", "is_public", "author", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["author"]


@admin.register(Signalement)
class SignalementAdmin(GISModelAdmin):
    list_display = ["id", "category", "commune", "direction", "status", "created_at"]
    list_filter = ["status", "category", "source", "routing_reason"]
    list_select_related = ["category", "commune", "direction__organisation"]
    search_fields = ["description", "address"]
    raw_id_fields = ["reporter", "routing_rule"]
    readonly_fields = ["routing_reason", "routing_explanation", "created_at", "updated_at"]
    inlines = [PhotoInline, EventInline]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["signalement", "user", "created_at"]
    raw_id_fields = ["signalement", "user"]


from signalements.open311 import admin as open311_admin  # noqa: E402,F401
