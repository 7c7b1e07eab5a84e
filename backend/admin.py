from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.gis.admin import GISModelAdmin
from django.utils.translation import gettext_lazy as _

from backend.models import Direction, Membership, Organisation, OrganisationRole, User
from backend.widgets import LocalOpenLayersWidget


class MapAdmin(GISModelAdmin):
    """The base of every back-office screen with a map: OpenLayers from our static files."""

    gis_widget = LocalOpenLayersWidget


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["direction"]


class OrganisationRoleInline(admin.TabularInline):
    model = OrganisationRole
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "memberships__direction__organisation"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline, OrganisationRoleInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class DirectionInline(admin.TabularInline):
    model = Direction
    extra = 0
    fields = ["name", "slug", "email", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "insee_code", "siren", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "insee_code", "siren"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DirectionInline, OrganisationRoleInline]


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "email", "is_active"]
    list_filter = ["organisation__kind", "is_active"]
    search_fields = ["name", "organisation__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "direction", "role"]
    list_filter = ["role", "direction__organisation"]
    search_fields = ["user__email", "direction__name"]
    autocomplete_fields = ["user", "direction"]


@admin.register(OrganisationRole)
class OrganisationRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    autocomplete_fields = ["user"]
