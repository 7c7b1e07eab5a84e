"""The field service's API: a direction's queue and the actions on its tickets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from backend.fields import DateTimeField
from backend.pagination import PageNumberPagination
from backend.parsers import JSONParser, MultiPartParser
from backend.spreadsheets import csv_writer
from signalements import serializers, services
from signalements.filters import AgentSignalementFilter, StatsFilter
from signalements.models import Signalement
from signalements.permissions import IsDirectionStaff
from signalements.selectors.reports import signalement_queue
from signalements.selectors.stats import signalement_stats_cached
from signalements.storage import private_file_response


class AgentSignalementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Reports routed to the directions of the agent; others answer 404.

    People who work in no direction get 403, as on the other staff endpoints.
    """

    permission_classes = [permissions.IsAuthenticated, IsDirectionStaff]
    lookup_value_regex = r"\d+"
    serializer_class = serializers.AgentSignalementSerializer
    filterset_class = AgentSignalementFilter
    pagination_class = PageNumberPagination
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):  # noqa: ANN201
        if getattr(self, "swagger_fake_view", False):
            return Signalement.objects.none()
        return signalement_queue(user=self.request.user).order_by("resolve_due_at", "id")

    def get_serializer_class(self):  # noqa: ANN201
        if self.action == "retrieve":
            return serializers.AgentSignalementDetailSerializer
        return serializers.AgentSignalementSerializer

    def _answer(self, signalement: Signalement, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=signalement.pk)
        body = serializers.AgentSignalementDetailSerializer(
            fresh, context=self.get_serializer_context()
        ).data
        return Response(body, status=code)

    def _data(self, serializer_class: type) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        request={
            "application/json": serializers.TransitionSerializer,
            "multipart/form-data": serializers.TransitionSerializer,
        },
        responses={200: serializers.AgentSignalementDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        """Move the report along the workflow (409 when the workflow forbids it)."""
        signalement = self.get_object()
        data = self._data(serializers.TransitionSerializer)
        services.signalement_transition(signalement=signalement, actor=request.user, **data)
        return self._answer(signalement)

    @extend_schema(
        request=serializers.AssignSerializer,
        responses={200: serializers.AgentSignalementDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        """Give the report to an agent of the direction (``null`` to unassign)."""
        signalement = self.get_object()
        data = self._data(serializers.AssignSerializer)
        services.signalement_assign(signalement=signalement, actor=request.user, **data)
        return self._answer(signalement)

    @extend_schema(
        request=serializers.TransferSerializer,
        responses={200: serializers.AgentSignalementDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        """Hand the report to another direction; it leaves this queue."""
        signalement = self.get_object()
        data = self._data(serializers.TransferSerializer)
        moved = services.signalement_transfer(signalement=signalement, actor=request.user, **data)
        # The report may have left the agent's queue: it is read whatever its direction.
        body = serializers.AgentSignalementSerializer(
            Signalement.objects.for_display().get(pk=moved.pk),
            context=self.get_serializer_context(),
        ).data
        return Response(body)

    @extend_schema(
        request=serializers.DuplicateSerializer,
        responses={200: serializers.AgentSignalementDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def duplicate(self, request: Request, pk: str) -> Response:
        """Close the report as a duplicate of another; its followers follow the original."""
        signalement = self.get_object()
        data = self._data(serializers.DuplicateSerializer)
        services.signalement_mark_duplicate(signalement=signalement, actor=request.user, **data)
        return self._answer(signalement)

    @extend_schema(
        methods=["POST"],
        request=serializers.NoteSerializer,
        responses={201: serializers.StaffEventSerializer},
    )
    @extend_schema(methods=["GET"], responses={200: serializers.StaffEventSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def notes(self, request: Request, pk: str) -> Response:
        """Internal notes of the report, never shown to the public."""
        signalement = self.get_object()
        if request.method == "GET":
            notes = signalement.events.filter(kind="note").select_related("author")
            return Response(serializers.StaffEventSerializer(notes, many=True).data)
        data = self._data(serializers.NoteSerializer)
        note = services.signalement_note_add(signalement=signalement, actor=request.user, **data)
        return Response(serializers.StaffEventSerializer(note).data, status=201)

    @extend_schema(
        request=serializers.RecategoriseSerializer,
        responses={200: serializers.AgentSignalementSerializer},
    )
    @action(detail=True, methods=["post"])
    def category(self, request: Request, pk: str) -> Response:
        """Change the category: the report is routed again."""
        signalement = self.get_object()
        data = self._data(serializers.RecategoriseSerializer)
        moved = services.signalement_recategorise(
            signalement=signalement, actor=request.user, **data
        )
        body = serializers.AgentSignalementSerializer(
            Signalement.objects.for_display().get(pk=moved.pk),
            context=self.get_serializer_context(),
        ).data
        return Response(body)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            302: OpenApiResponse(description="To a signed URL of the private bucket."),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"photos/(?P<photo_id>\d+)/original",
        pagination_class=None,
        filterset_class=None,
    )
    def photo_original(self, request: Request, pk: str, photo_id: str) -> HttpResponse:
        """A photo as the resident sent it, with its GPS and camera data (404 once dropped).

        With object storage, a redirect to a URL signed for S3_SIGNED_URL_SECONDS.
        """
        signalement = self.get_object()
        photo = get_object_or_404(signalement.photos.exclude(original=""), pk=photo_id)
        return private_file_response(photo.original)

    @extend_schema(
        parameters=[
            OpenApiParameter("separator", str, enum=["comma", "semicolon"]),
        ],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    @action(detail=False, methods=["get"], url_path="export/csv", pagination_class=None)
    def export_csv(self, request: Request) -> StreamingHttpResponse:
        """The filtered queue as CSV (UTF-8 with BOM, opens in French Excel), streamed."""
        rows = self.filter_queryset(self.get_queryset())
        delimiter = ";" if request.query_params.get("separator") == "semicolon" else ","
        response = StreamingHttpResponse(
            _csv_lines(rows, delimiter), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="signalements.csv"'
        return response

    @extend_schema(responses={(200, "application/geo+json"): OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"], url_path="export/geojson", pagination_class=None)
    def export_geojson(self, request: Request) -> StreamingHttpResponse:
        """The filtered queue as a GeoJSON FeatureCollection, streamed."""
        rows = self.filter_queryset(self.get_queryset())
        response = StreamingHttpResponse(_geojson_chunks(rows), content_type="application/geo+json")
        response["Content-Disposition"] = 'attachment; filename="signalements.geojson"'
        return response


EXPORT_COLUMNS = [
    "id",
    "created_at",
    "status",
    "category",
    "commune",
    "insee",
    "direction",
    "address",
    "latitude",
    "longitude",
    "description",
    "assigned_to",
    "acknowledge_due_at",
    "resolve_due_at",
]


def _export_values(rows) -> Iterator[dict]:  # noqa: ANN001
    fields = (
        "id",
        "created_at",
        "status",
        "category__name",
        "commune__name",
        "commune__insee_code",
        "direction__name",
        "address",
        "location",
        "description",
        "assigned_to__email",
        "acknowledge_due_at",
        "resolve_due_at",
    )
    yield from rows.order_by("id").values(*fields).iterator(chunk_size=2000)


# Instants are written as the JSON API writes them: ISO 8601 in the server's zone, with its
# offset (the database hands them back in UTC).
_API_DATETIME = DateTimeField()


def _moment(value: datetime | None) -> str | None:
    return _API_DATETIME.to_representation(value) if value is not None else None


def _csv_lines(rows, delimiter: str) -> Iterator[str]:  # noqa: ANN001
    writer = csv_writer(delimiter=delimiter)
    yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
    for row in _export_values(rows):
        point = row["location"]
        yield writer.writerow(
            [
                row["id"],
                _moment(row["created_at"]),
                row["status"],
                row["category__name"],
                row["commune__name"],
                row["commune__insee_code"],
                row["direction__name"] or "",
                row["address"],
                point.y,
                point.x,
                row["description"],
                row["assigned_to__email"] or "",
                _moment(row["acknowledge_due_at"]) or "",
                _moment(row["resolve_due_at"]) or "",
            ]
        )


def _geojson_chunks(rows) -> Iterator[str]:  # noqa: ANN001
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for row in _export_values(rows):
        point = row.pop("location")
        properties = {
            key: _moment(value) if isinstance(value, datetime) else value
            for key, value in row.items()
        }
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
            "properties": properties,
        }
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}"


class SignalementStatsView(generics.GenericAPIView):
    """Public figures of the reports: by status, delays, share resolved within target."""

    permission_classes = [permissions.AllowAny]
    filterset_class = StatsFilter
    pagination_class = None

    def get_queryset(self):  # noqa: ANN201
        return Signalement.objects.public()

    @extend_schema(responses={200: serializers.StatsSerializer})
    def get(self, request: Request) -> Response:
        filters = StatsFilter(request.query_params, queryset=self.get_queryset(), request=request)
        if not filters.is_valid():
            raise translate_validation(filters.errors)
        figures = signalement_stats_cached(queryset=filters.qs, filters=filters.form.cleaned_data)
        return Response(serializers.StatsSerializer(figures).data)
