"""Shapes of the citizen panel: its public record, and the officer's steps."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from contributions.models import Panel


class PanelSerializer(serializers.ModelSerializer):
    """The panel's public page: purpose and the record of its draws (numbers, never names)."""

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
        ]
        read_only_fields = fields


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
