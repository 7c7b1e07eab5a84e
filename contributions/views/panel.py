"""The citizen panel: its public page, and the participation officer's steps of the draw."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from backend.errors import Conflict
from backend.parsers import JSONParser, MultiPartParser
from backend.spreadsheets import csv_writer
from contributions import sortition
from contributions.models import Panel
from contributions.permissions import IsParticipationOfficer
from contributions.selectors.panel import (
    is_participation_officer,
    panel_letters,
    panel_member_letters,
    panel_volunteers_text,
    panels_of_member,
)
from contributions.serializers.panel import (
    CriteriaSerializer,
    DepartureSerializer,
    InvitationDrawSerializer,
    MyPanelSerializer,
    PanelSerializer,
    PoolImportSerializer,
    PoolUploadSerializer,
    ReplacementSerializer,
    SelectionSerializer,
    VolunteerRegistrationSerializer,
    VolunteerSerializer,
)
from contributions.services.panel import (
    panel_draw_invitations,
    panel_member_leave,
    panel_pool_import,
    panel_selection_start,
    panel_set_criteria,
    panel_volunteer_register,
)

OFFICER_ACTIONS = ("pool", "invitations", "criteria", "selection", "departures")


class PanelViewSet(viewsets.ReadOnlyModelViewSet):
    """Citizen panels drawn by lot: purpose, method and the public record of the draws."""

    queryset = Panel.objects.select_related("organisation")
    serializer_class = PanelSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"
    filter_backends: list = []

    def get_permissions(self) -> list[permissions.BasePermission]:
        if self.action in OFFICER_ACTIONS:
            return [permissions.IsAuthenticated(), IsParticipationOfficer()]
        if self.action == "volunteers":
            return [permissions.IsAuthenticated()]
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

    @extend_schema(request=CriteriaSerializer, responses=PanelSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def criteria(self, request: Request, slug: str) -> Response:
        """Set what volunteers declare and quotas apply to, before the first registers."""
        panel = self.get_object()
        data = CriteriaSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        panel = panel_set_criteria(panel=panel, criteria=data.validated_data["criteria"])
        return Response(PanelSerializer(panel).data)

    @extend_schema(request=VolunteerRegistrationSerializer, responses={201: VolunteerSerializer})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def volunteers(self, request: Request, slug: str) -> Response:
        """Answer a letter: its code and the criteria declared (or, for the officer, a
        reply sent by post)."""
        panel = self.get_object()
        data = VolunteerRegistrationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        by_post = data.validated_data["by_post"]
        if by_post and not is_participation_officer(user=request.user, panel=panel):
            raise PermissionDenied(_("Only the participation officer enters replies by post."))
        volunteer = panel_volunteer_register(
            panel=panel,
            code=data.validated_data["code"],
            answers=data.validated_data["answers"],
            user=None if by_post else request.user,
            email=data.validated_data.get("email", ""),
        )
        return Response(VolunteerSerializer(volunteer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SelectionSerializer, responses={202: PanelSerializer})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def selection(self, request: Request, slug: str) -> Response:
        """Stage 2: select the panel among the volunteers, with quotas, in a background task
        (``selection_progress`` tells where it is; ``stage`` becomes ``constituted``)."""
        panel = self.get_object()
        data = SelectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        panel = panel_selection_start(
            panel=panel, seed=data.validated_data["seed"], quotas=data.validated_data["quotas"]
        )
        return Response(PanelSerializer(panel).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=DepartureSerializer, responses=ReplacementSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def departures(self, request: Request, slug: str) -> Response:
        """A member leaves: the first of the reserve who keeps every quota takes the seat."""
        panel = self.get_object()
        data = DepartureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = panel_member_leave(panel=panel, number=data.validated_data["number"])
        body = {
            "left": change.left.number,
            "replacement": change.replacement.number if change.replacement else None,
        }
        return Response(ReplacementSerializer(body).data)


def _csv_response(
    rows: Iterable[list[str]], filename: str, *, private: bool
) -> StreamingHttpResponse:
    writer = csv_writer(delimiter=";")
    lines = (writer.writerow(row) for row in rows)
    response = StreamingHttpResponse(
        (("\ufeff" if index == 0 else "") + line for index, line in enumerate(lines)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


class _PanelFileView(generics.GenericAPIView):
    """A file of one panel, found by its slug; the officer's unless told."""

    queryset = Panel.objects.all()
    permission_classes = [permissions.IsAuthenticated, IsParticipationOfficer]
    lookup_field = "slug"
    pagination_class = None
    filter_backends: list = []


class PanelLettersView(_PanelFileView):
    """The letters of invitation as a mail-merge file (CSV, UTF-8 with BOM, semicolons)."""

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        panel = self.get_object()
        if panel.stage == Panel.Stage.POOL:
            raise Conflict(_("The invitations are not drawn yet."))
        if panel.stage == Panel.Stage.CONSTITUTED:
            raise Conflict(_("The panel is constituted: its pool is deleted."))
        return _csv_response(panel_letters(panel=panel), f"lettres-{panel.slug}.csv", private=True)


class PanelMembersView(_PanelFileView):
    """The officer's list of members and reserve, with postal addresses (CSV)."""

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        panel = self.get_object()
        return _csv_response(
            panel_member_letters(panel=panel), f"membres-{panel.slug}.csv", private=True
        )


class PanelPublicFileView(_PanelFileView):
    """The files anyone needs to re-run the selection: volunteers (numbers and declared
    criteria, never names) and quotas, in ``python3 -m contributions.sortition panel``'s
    format."""

    permission_classes = [permissions.AllowAny]
    kind = "volunteers"

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, slug: str) -> HttpResponse:
        panel = self.get_object()
        if self.kind == "volunteers":
            if panel.stage == Panel.Stage.POOL:
                raise Conflict(_("The invitations are not drawn yet."))
            text, filename = panel_volunteers_text(panel=panel), "volontaires.csv"
        else:
            if not panel.selection_quotas:
                raise Conflict(_("The quotas are not set yet."))
            text, filename = sortition.quotas_text(panel.selection_quotas), "quotas.csv"
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class MyPanelsView(generics.ListAPIView):
    """The panels the user sits on: the app shows a badge, and their consultations."""

    serializer_class = MyPanelSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Panel]:
        return panels_of_member(user=self.request.user)
