"""Shapes of the citizen panel: its public record, and the officer's steps."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contributions.models import Panel, PanelVolunteer
from contributions.selectors.panel import panel_volunteers_text


def selection_problem_text(problem: dict[str, object]) -> str:
    """A stored reason of a failed selection, in the language of the request."""
    if "error" in problem:
        return gettext("The selection stopped: %(error)s") % {"error": problem["error"]}
    return gettext(
        "%(key)s = %(value)s: the quota [%(min)s, %(max)s] cannot be met together with "
        "the others by these volunteers; the nearest that can is [%(low)s, %(high)s]."
    ) % {
        "key": problem["criterion"],
        "value": problem["value"],
        "min": problem["min"],
        "max": problem["max"],
        "low": problem["feasible_min"],
        "high": problem["feasible_max"],
    }


class CriterionValueSerializer(serializers.Serializer):
    value = serializers.CharField(max_length=60)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True)
    communes = serializers.ListField(
        child=serializers.CharField(max_length=5),
        required=False,
        help_text=_("INSEE codes: the pool then tells this value's share of the population."),
    )


class CriterionSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=30)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True)
    values = CriterionValueSerializer(many=True)


class PanelConsultationSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()


class PanelSerializer(serializers.ModelSerializer):
    """The panel's public page: purpose and the record of its draws (numbers, never names)."""

    criteria = CriterionSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "What volunteers declare: sexe (F, M) and age (bands such as 18-29 or 75+) keys, "
            "and values listing communes, are compared with the population of the pool."
        ),
    )
    volunteers = serializers.IntegerField(
        source="volunteers.count", read_only=True, help_text=_("Volunteers registered.")
    )
    members = serializers.SerializerMethodField(help_text=_("Members sitting now."))
    volunteers_hash = serializers.SerializerMethodField(
        help_text=_(
            "SHA-256 of the volunteers' published file (volunteers.csv), to note before the "
            "selection's seed is announced."
        )
    )
    record = serializers.JSONField(
        read_only=True,
        help_text=_(
            "The selection's public record: seed, volunteers' hash, algorithm and version, "
            "quotas and composition against the population, selection probabilities, numbers "
            "selected and the reserve list in order, replacements."
        ),
    )
    consultations = serializers.SerializerMethodField()
    selection_problems = serializers.SerializerMethodField(
        help_text=_("Why the last selection could not be made (which quota to change).")
    )

    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    pool_hash = serializers.CharField(
        read_only=True,
        help_text=_(
            "SHA-256 of the pool's canonical text, published before the seed is announced."
        ),
    )
    invitation_seed = serializers.CharField(
        read_only=True, help_text=_("The seed announced in public before the draw.")
    )
    invited_numbers = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_(
            "Numbers in the pool of the people invited, in draw order: "
            "python3 -m contributions.sortition invitations gives the same."
        ),
    )

    class Meta:
        model = Panel
        fields = [
            "slug",
            "title",
            "purpose",
            "organisation",
            "stage",
            "size",
            "invitations",
            "pool_size",
            "pool_hash",
            "pool_imported_at",
            "invitation_seed",
            "invited_at",
            "invited_numbers",
            "criteria",
            "volunteers",
            "volunteers_hash",
            "selection_seed",
            "selection_quotas",
            "selection_progress",
            "selection_problems",
            "constituted_at",
            "members",
            "record",
            "consultations",
        ]
        read_only_fields = fields

    def get_selection_problems(self, panel: Panel) -> list[str]:
        return [selection_problem_text(problem) for problem in panel.selection_problems]

    def get_members(self, panel: Panel) -> int:
        return panel.volunteers.filter(status=PanelVolunteer.Status.MEMBER).count()

    def get_volunteers_hash(self, panel: Panel) -> str:
        if panel.stage == Panel.Stage.POOL:
            return ""
        return hashlib.sha256(panel_volunteers_text(panel=panel).encode()).hexdigest()

    @extend_schema_field(PanelConsultationSerializer(many=True))
    def get_consultations(self, panel: Panel) -> list[dict[str, str]]:
        """Its consultations, by title: what they hold is for the members."""
        return list(panel.consultations.released().values("slug", "title"))


class PoolUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "CSV extract of the electoral lists: nom, prénoms, sexe, date de naissance, "
            "adresse, code postal, commune."
        )
    )


class RejectedRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("Line of the file, the header being line 1."))
    field = serializers.CharField()
    message = serializers.CharField()


class PoolImportSerializer(serializers.Serializer):
    imported = serializers.IntegerField(help_text=_("People now in the pool."))
    rejected = RejectedRowSerializer(many=True, help_text=_("Rows left out, and why."))
    panel = PanelSerializer()


class InvitationDrawSerializer(serializers.Serializer):
    seed = serializers.CharField(
        max_length=200,
        help_text=_("The seed announced in public before the draw, exactly as announced."),
    )


class CriteriaSerializer(serializers.Serializer):
    criteria = CriterionSerializer(many=True, help_text=_("From 1 to 8 criteria."))


class VolunteerRegistrationSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text=_("The code printed on the letter."))
    answers = serializers.DictField(
        child=serializers.CharField(max_length=60),
        help_text=_("One value per criterion of the panel, by key."),
    )
    email = serializers.EmailField(
        required=False, allow_blank=True, help_text=_("For a reply sent by post.")
    )
    by_post = serializers.BooleanField(
        default=False,
        help_text=_("The participation officer enters a reply sent by post (no account)."),
    )


class VolunteerSerializer(serializers.ModelSerializer):
    class Meta:
        model = PanelVolunteer
        fields = ["number", "status", "answers", "registered_at"]
        read_only_fields = fields


class QuotaSerializer(serializers.Serializer):
    criterion = serializers.CharField(max_length=30)
    value = serializers.CharField(max_length=60)
    min = serializers.IntegerField(min_value=0, max_value=100000)
    max = serializers.IntegerField(min_value=0, max_value=100000)


class SelectionSerializer(serializers.Serializer):
    seed = serializers.CharField(
        max_length=200,
        help_text=_("The seed announced in public before the draw, exactly as announced."),
    )
    quotas = QuotaSerializer(
        many=True, help_text=_("One per value of each criterion: the members it must have.")
    )


class DepartureSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, help_text=_("The leaving member's number."))


class ReplacementSerializer(serializers.Serializer):
    left = serializers.IntegerField()
    replacement = serializers.IntegerField(
        allow_null=True,
        help_text=_("Null when no one of the reserve keeps every quota: the seat stays empty."),
    )


class MyPanelSerializer(serializers.ModelSerializer):
    """A panel the user sits on: the badge the app shows."""

    class Meta:
        model = Panel
        fields = ["slug", "title", "constituted_at"]
        read_only_fields = fields
