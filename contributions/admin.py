"""Back-office: write a consultation with its phases, meetings and documents; preview a draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException

from backend.admin import MapAdmin
from contributions.models import (
    Actor,
    CharterReason,
    Consultation,
    ContactMessage,
    Contribution,
    Document,
    Meeting,
    ModerationDecision,
    ModerationSettings,
    Panel,
    Phase,
    Restitution,
    RestitutionDocument,
    Theme,
)
from contributions.selectors.consultations import consultation_detail
from contributions.services._common import sanitize_html
from contributions.services.actors import actor_validate
from contributions.services.consultations import (
    consultation_alert_opening,
    consultation_publish,
    phase_check_dates,
    phase_create,
)
from contributions.services.meetings import (
    document_add,
    document_fill_metadata,
    meeting_check_registration,
    meeting_create,
)
from contributions.services.moderation import moderation_decide
from contributions.services.restitution import restitution_check_visibility


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        exclude: list[str] = []

    def clean_body(self) -> str:
        return sanitize_html(self.cleaned_data.get("body", ""))

    def clean_body_en(self) -> str:
        return sanitize_html(self.cleaned_data.get("body_en", ""))


class PhaseForm(forms.ModelForm):
    """The dates follow the rule of ``phase_create``, shown on the field."""

    class Meta:
        model = Phase
        exclude: list[str] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("starts_on"):
            phase_check_dates(starts_on=cleaned["starts_on"], ends_on=cleaned.get("ends_on"))
        return cleaned


class MeetingForm(forms.ModelForm):
    """The registration follows the rule of ``meeting_create``, shown on the field."""

    class Meta:
        model = Meeting
        exclude: list[str] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        meeting_check_registration(
            registration=cleaned.get("registration", ""),
            registration_url=cleaned.get("registration_url", ""),
        )
        return cleaned


class PhaseInline(admin.TabularInline):
    model = Phase
    form = PhaseForm
    extra = 0


class MeetingInline(admin.StackedInline):
    model = Meeting
    form = MeetingForm
    extra = 0
    fields = [
        ("title", "starts_at", "ends_at"),
        "title_en",
        "description",
        "description_en",
        ("place_name", "address"),
        "online_url",
        ("registration", "capacity", "registration_url"),
    ]


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["title", "title_en", "file", "position", "size"]
    readonly_fields = ["size"]


_CREATE: dict[type[models.Model], Callable[..., models.Model]] = {
    Phase: phase_create,
    Meeting: meeting_create,
    Document: document_add,
}


def _inline_values(form: forms.ModelForm) -> dict[str, Any]:
    """What an inline row was given, as the keyword arguments of its service."""
    names = {field.name for field in form._meta.model._meta.concrete_fields}
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name in names and name not in ("id", "consultation")
    }


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Consultation)
class ConsultationAdmin(MapAdmin):
    form = ConsultationForm
    list_display = ["title", "organisation", "kind", "opens_at", "closes_at", "is_published"]
    list_filter = ["is_published", "kind", "organisation"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["communes"]
    filter_horizontal = ["themes"]
    readonly_fields = [
        "is_published",
        "published_at",
        "opening_alert_sent_at",
        "source",
        "source_id",
        "preview_link",
    ]
    inlines = [PhaseInline, MeetingInline, DocumentInline]
    actions = ["publish"]

    def get_urls(self):
        urls = super().get_urls()
        preview = path(
            "<int:pk>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="contributions_consultation_preview",
        )
        return [preview, *urls]

    @admin.display(description=_("preview"))
    def preview_link(self, obj: Consultation) -> str:
        if not obj.pk:
            return "-"
        url = reverse("admin:contributions_consultation_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview as residents will see it"))

    def preview_view(self, request, pk: int):
        consultation = get_object_or_404(consultation_detail(user=request.user), pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Preview"),
            "consultation": consultation,
            # Sanitised on save; cleaned again because older rows may predate the rule.
            "body": mark_safe(sanitize_html(consultation.body)),
        }
        return TemplateResponse(request, "admin/contributions/consultation/preview.html", context)

    @admin.action(description=_("Publish the selected consultations"))
    def publish(self, request, queryset):
        alerted = sum(consultation_publish(consultation=consultation) for consultation in queryset)
        self.message_user(
            request,
            _("%(count)d published, %(alerted)d opening alerts sent.")
            % {"count": queryset.count(), "alerted": alerted},
            messages.SUCCESS,
        )

    def save_formset(self, request, form, formset, change):
        """New phases, meetings and documents are made by their services, which announce them."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        form_of = {id(inline_form.instance): inline_form for inline_form in formset.forms}
        created = []
        for instance in instances:
            if instance.pk is None:
                values = _inline_values(form_of[id(instance)])
                created.append(_CREATE[type(instance)](consultation=formset.instance, **values))
                continue
            if isinstance(instance, Document):
                document_fill_metadata(document=instance)
            instance.save()
        # The change message names what the services made.
        formset.new_objects = created
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Editing a published consultation whose opening has come sends the alert if it
        # never went out; the service guarantees it is never sent twice.
        if form.instance.is_published:
            consultation_alert_opening(consultation=form.instance)


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "owner", "validated_at", "is_public", "email_consent"]
    list_filter = ["kind", "is_public", "email_consent"]
    search_fields = ["name", "contact_email"]
    readonly_fields = ["validated_at", "validated_by"]
    autocomplete_fields = ["communes"]
    raw_id_fields = ["owner"]
    actions = ["validate"]

    @admin.action(description=_("Validate the selected actors"))
    def validate(self, request, queryset):
        for actor in queryset.filter(validated_at__isnull=True):
            actor_validate(actor=actor, by=request.user)


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "email", "organisation", "status", "direction"]
    list_filter = ["status", "kind", "organisation"]
    search_fields = ["email", "body"]
    readonly_fields = ["author", "email", "body", "created_at", "replied_at", "replied_by"]


# Moderation --------------------------------------------------------------------------


@admin.register(CharterReason)
class CharterReasonAdmin(admin.ModelAdmin):
    list_display = ["article", "label", "code", "organisation", "position", "is_active"]
    list_filter = ["organisation", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["label", "code", "article"]
    ordering = ["organisation", "position"]


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "flag_threshold"]


class DecisionActionForm(ActionForm):
    """Reject and hide cite a rule of the charter; the author reads the message."""

    reason = forms.ModelChoiceField(
        CharterReason.objects.filter(is_active=True), required=False, label=_("reason")
    )
    message = forms.CharField(required=False, label=_("message to the author"))


class AwaitingFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", _("awaiting moderation"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.awaiting_moderation() if self.value() == "yes" else queryset


@admin.register(Contribution)
class ContributionAdmin(MapAdmin):
    """The moderation queue of the back-office; decisions go through the same service."""

    list_display = ["created_at", "kind", "consultation", "author", "state", "flagged_at"]
    list_filter = [AwaitingFilter, "state", "kind", "consultation__organisation"]
    search_fields = ["body", "author__email"]
    ordering = ["created_at"]
    action_form = DecisionActionForm
    actions = ["publish", "reject", "hide", "restore"]
    readonly_fields = [
        "consultation",
        "author",
        "kind",
        "parent",
        "depth",
        "body",
        "location",
        "commune",
        "theme",
        "state",
        "flagged_at",
        "reviewed_at",
        "moderation_reason",
        "moderation_message",
        "published_at",
        "edited_at",
        "created_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Contribution]:
        return super().get_queryset(request).moderated_by(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def _decide(self, request: HttpRequest, queryset: QuerySet, action: str) -> None:
        form = DecisionActionForm(request.POST)
        form.is_valid()
        done = 0
        for contribution in queryset:
            try:
                moderation_decide(
                    contribution_id=contribution.pk,
                    moderator=request.user,
                    action=action,
                    reason=form.cleaned_data.get("reason"),
                    message=form.cleaned_data.get("message") or "",
                )
                done += 1
            except APIException as error:
                self.message_user(request, f"#{contribution.pk}: {error}", messages.WARNING)
            except forms.ValidationError as error:
                why = " ".join(error.messages)
                self.message_user(request, f"#{contribution.pk}: {why}", messages.WARNING)
        self.message_user(
            request, _("%(count)d contributions moderated.") % {"count": done}, messages.SUCCESS
        )

    @admin.action(description=_("Publish the selected contributions"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, ModerationDecision.Action.PUBLISH)

    @admin.action(description=_("Reject the selected contributions (cite a reason)"))
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, ModerationDecision.Action.REJECT)

    @admin.action(description=_("Hide the selected contributions (cite a reason)"))
    def hide(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, ModerationDecision.Action.HIDE)

    @admin.action(description=_("Restore the selected contributions"))
    def restore(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, ModerationDecision.Action.RESTORE)


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(admin.ModelAdmin):
    """The audit log: read only, for good."""

    list_display = ["created_at", "action", "contribution", "moderator", "reason", "organisation"]
    list_filter = ["action", "organisation"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class RestitutionDocumentInline(admin.TabularInline):
    model = RestitutionDocument
    extra = 0
    fields = ["title", "file", "size"]
    readonly_fields = ["size"]


class RestitutionForm(forms.ModelForm):
    class Meta:
        model = Restitution
        exclude: list[str] = []

    def clean(self) -> dict:
        cleaned = super().clean()
        consultation = cleaned.get("consultation")
        if consultation is not None:
            restitution_check_visibility(consultation, cleaned.get("visibility", ""))
        cleaned["body"] = sanitize_html(cleaned.get("body", ""))
        return cleaned


@admin.register(Restitution)
class RestitutionAdmin(admin.ModelAdmin):
    """Written here or through the API; publishing (and its notifications) goes via the API."""

    form = RestitutionForm
    list_display = ["consultation", "visibility", "published_at"]
    readonly_fields = ["published_at", "updated_by"]
    inlines = [RestitutionDocumentInline]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    """The panel and the public record of its draws; its pool (personal data) is not shown."""

    list_display = ["title", "organisation", "stage", "pool_size", "invited_at"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "stage",
        "pool_size",
        "pool_hash",
        "pool_imported_at",
        "invitation_seed",
        "invited_numbers",
        "invited_at",
        "selection_seed",
        "selection_quotas",
        "selection_progress",
        "selection_problems",
        "record",
        "constituted_at",
    ]
