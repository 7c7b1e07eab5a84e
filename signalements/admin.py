from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.admin import MapAdmin
from backend.errors import Conflict
from backend.models import Direction
from signalements import services, workflow
from signalements.models import (
    Category,
    Follow,
    Photo,
    Question,
    RejectReason,
    RoutingRule,
    Signalement,
    SignalementEvent,
    Status,
    Theme,
)

# The back-office screens of Open311 (API keys, updates), in their own module.
from signalements.open311 import admin as open311_admin  # noqa: F401


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
class RoutingRuleAdmin(MapAdmin):
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
    """The timeline as it happened: written by the workflow only, never edited here."""

    model = SignalementEvent
    extra = 0
    can_delete = False
    fields = ["kind", "status", "message", "is_public", "author", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("new status"), choices=Status.choices)
    reject_reason = forms.ChoiceField(
        label=gettext_lazy("reason for rejection"),
        choices=[("", "—"), *RejectReason.choices],
        required=False,
    )
    public_message = forms.CharField(
        label=gettext_lazy("message to the reporter and followers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    internal_note = forms.CharField(
        label=gettext_lazy("internal note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )


class TransferForm(forms.Form):
    direction = forms.ModelChoiceField(
        label=gettext_lazy("direction"),
        queryset=Direction.objects.filter(is_active=True).select_related("organisation"),
    )
    reason = forms.CharField(
        label=gettext_lazy("reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=300
    )


@admin.register(Signalement)
class SignalementAdmin(MapAdmin):
    """Reports: the workflow's fields are read here and moved only by the actions, which go
    through the workflow so that the timeline and the notifications follow."""

    list_display = ["id", "category", "commune", "direction", "status", "created_at"]
    list_filter = ["status", "category", "source", "routing_reason"]
    list_select_related = ["category", "commune", "direction__organisation"]
    search_fields = ["description", "address"]
    raw_id_fields = ["reporter", "routing_rule"]
    readonly_fields = [
        *sorted(workflow.WORKFLOW_FIELDS),
        "direction",
        "reject_reason",
        "duplicate_of",
        "routing_reason",
        "routing_explanation",
        "created_at",
        "updated_at",
    ]
    inlines = [PhotoInline, EventInline]
    actions = ["transition", "transfer"]

    def _run(
        self,
        request: HttpRequest,
        queryset: QuerySet[Signalement],
        form_class: type[forms.Form],
        title: str,
        move: Callable[[Signalement, dict[str, Any]], object],
    ) -> HttpResponse | None:
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = 0
            for signalement in queryset.select_related("category", "reporter", "direction"):
                try:
                    move(signalement, form.cleaned_data)
                except (Conflict, PermissionDenied) as error:
                    detail = getattr(error, "detail", None) or error
                    self.message_user(request, f"#{signalement.pk} : {detail}", messages.ERROR)
                except ValidationError as error:
                    self.message_user(
                        request, f"#{signalement.pk} : {' '.join(error.messages)}", messages.ERROR
                    )
                else:
                    done += 1
            if done:
                self.message_user(
                    request, _("%(count)d report(s) updated.") % {"count": done}, messages.SUCCESS
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": request.POST.get("action", ""),
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/signalements/signalement/workflow_action.html", context
        )

    @admin.action(description=gettext_lazy("Change the status (through the workflow)"))
    def transition(
        self, request: HttpRequest, queryset: QuerySet[Signalement]
    ) -> HttpResponse | None:
        def move(signalement: Signalement, data: dict[str, Any]) -> object:
            return services.signalement_transition(
                signalement=signalement, actor=request.user, **data
            )

        return self._run(request, queryset, TransitionForm, _("Change the status"), move)

    @admin.action(description=gettext_lazy("Transfer to another direction"))
    def transfer(
        self, request: HttpRequest, queryset: QuerySet[Signalement]
    ) -> HttpResponse | None:
        def move(signalement: Signalement, data: dict[str, Any]) -> object:
            return services.signalement_transfer(
                signalement=signalement, actor=request.user, **data
            )

        return self._run(request, queryset, TransferForm, _("Transfer to another direction"), move)


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["signalement", "user", "created_at"]
    raw_id_fields = ["signalement", "user"]
