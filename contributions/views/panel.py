"""The citizen panel: its public page, and the participation officer's steps of the draw."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from backend.errors import Conflict
from backend.parsers import JSONParser, MultiPartParser
from backend.spreadsheets import csv_writer
from contributions.models import Panel
from contributions.permissions import IsParticipationOfficer
from contributions.selectors.panel import panel_letters
from contributions.serializers.panel import (
    InvitationDrawSerializer,
    PanelSerializer,
    PoolImportSerializer,
    PoolUploadSerializer,
)
from contributions.services.panel import panel_draw_invitations, panel_pool_import


class PanelViewSet(viewsets.ReadOnlyModelViewSet):
    """Citizen panels drawn by lot: purpose, method and the public record of the draws."""

    queryset = Panel.objects.select_related("organisation")
    serializer_class = PanelSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"
    filter_backends: list = []

    def get_permissions(self) -> list[permissions.BasePermission]:
        if self.action in ("pool", "invitations"):
            return [permissions.IsAuthenticated(), IsParticipationOfficer()]
        return super().get_permissions()

    @extend_schema(request=PoolUploadSerializer, responses=PoolImportSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def pool(self, request: Request, slug: str) -> Response:
        """Replace the pool by an extract of the electoral lists; refused rows are listed."""
        panel = self.get_object()
        data = PoolUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = panel_pool_import(panel=panel, data=data.validated_data["file"].read())
        panel.refresh_from_db()
        body = {"imported": result.imported, "rejected": result.rejected, "panel": panel}
        return Response(PoolImportSerializer(body).data)

    @extend_schema(request=InvitationDrawSerializer, responses=PanelSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def invitations(self, request: Request, slug: str) -> Response:
        """Stage 1: draw who gets a letter, from the seed announced in public."""
        panel = self.get_object()
        data = InvitationDrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        panel = panel_draw_invitations(panel=panel, seed=data.validated_data["seed"])
        return Response(PanelSerializer(panel).data)


class PanelLettersView(generics.GenericAPIView):
    """The letters of invitation as a mail-merge file (CSV, UTF-8 with BOM, semicolons)."""

    queryset = Panel.objects.all()
    permission_classes = [permissions.IsAuthenticated, IsParticipationOfficer]
    lookup_field = "slug"
    pagination_class = None
    filter_backends: list = []

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        panel = self.get_object()
        if panel.stage == Panel.Stage.POOL:
            raise Conflict(_("The invitations are not drawn yet."))
        writer = csv_writer(delimiter=";")
        lines = (writer.writerow(row) for row in panel_letters(panel=panel))
        response = StreamingHttpResponse(
            (("\ufeff" if index == 0 else "") + line for index, line in enumerate(lines)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="lettres-{panel.slug}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
