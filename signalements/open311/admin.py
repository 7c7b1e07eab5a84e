"""Back-office for Open311 keys: list them, revoke them. Keys are issued by the command."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from signalements.open311.models import Open311ApiKey, Open311Update


@admin.register(Open311ApiKey)
class Open311ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "key_prefix",
        "can_update",
        "is_active",
        "created_at",
        "last_used_at",
    ]
    list_filter = ["is_active", "can_update", "organisation"]
    search_fields = ["name", "key_prefix"]
    # The hash is never edited: a key is issued with `manage.py open311_key create`.
    readonly_fields = ["key_prefix", "key_hash", "created_at", "last_used_at"]
    fields = ["name", "organisation", "can_update", "is_active", *readonly_fields]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Open311Update)
class Open311UpdateAdmin(admin.ModelAdmin):
    list_display = ["update_id", "api_key", "signalement", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["update_id"]
    readonly_fields = [
        "api_key",
        "update_id",
        "signalement",
        "event",
        "status",
        "media_url",
        "updated_at_source",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
