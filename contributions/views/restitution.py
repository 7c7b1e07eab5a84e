"""Restitutions: read, write, publish, documents; the staff's list."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.parsers import MultiPartParser
from contributions.models import Consultation, Restitution
from contributions.permissions import CanWriteRestitution, IsOrganisationStaff
from contributions.selectors.restitution import can_read_restitution, staff_closed_consultations
from contributions.serializers.restitution import (
    RestitutionDocumentCreateSerializer,
    RestitutionDocumentSerializer,
    RestitutionSerializer,
    StaffConsultationSerializer,
)
from contributions.services.restitution import (
    restitution_add_document,
    restitution_publish,
    restitution_save,
)
from contributions.views.consultations import _visible_consultation


class StaffRestitutionsView(generics.ListAPIView):
    """Staff: closed consultations, flagged when a regulatory restitution is overdue."""

    queryset = Consultation.objects.none()
    serializer_class = StaffConsultationSerializer
    permission_classes = [permissions.IsAuthenticated, IsOrganisationStaff]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Consultation]:
        if getattr(self, "swagger_fake_view", False):
            return Consultation.objects.none()
        return staff_closed_consultations(user=self.request.user)


class RestitutionView(APIView):
    """The restitution of a consultation: read it (per its visibility), or write it (PUT)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly, CanWriteRestitution]
    serializer_class = RestitutionSerializer

    def _consultation(self, request: Request, slug: str) -> Consultation:
        consultation = _visible_consultation(request, slug)
        self.check_object_permissions(request, consultation)
        return consultation

    @extend_schema(responses=RestitutionSerializer)
    def get(self, request: Request, slug: str) -> Response:
        consultation = self._consultation(request, slug)
        restitution = get_object_or_404(
            Restitution.objects.select_related("consultation").prefetch_related("documents"),
            consultation=consultation,
        )
        if not can_read_restitution(user=request.user, restitution=restitution):
            if restitution.published_at is None:
                raise Http404
            raise PermissionDenied(_("This restitution is reserved to the participants."))
        return Response(RestitutionSerializer(restitution, context={"request": request}).data)

    @extend_schema(request=RestitutionSerializer, responses=RestitutionSerializer)
    def put(self, request: Request, slug: str) -> Response:
        consultation = self._consultation(request, slug)
        data = RestitutionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        restitution = restitution_save(
            consultation=consultation, by=request.user, **data.validated_data
        )
        return Response(RestitutionSerializer(restitution, context={"request": request}).data)


class RestitutionPublishView(APIView):
    """Publish the restitution of a closed consultation; every participant is told once."""

    permission_classes = [permissions.IsAuthenticated, CanWriteRestitution]
    serializer_class = RestitutionSerializer

    @extend_schema(request=None, responses=RestitutionSerializer)
    def post(self, request: Request, slug: str) -> Response:
        consultation = _visible_consultation(request, slug)
        self.check_object_permissions(request, consultation)
        restitution = restitution_publish(consultation=consultation)
        return Response(RestitutionSerializer(restitution, context={"request": request}).data)


class RestitutionDocumentView(APIView):
    """Attach a document (PDF or image) to the restitution."""

    permission_classes = [permissions.IsAuthenticated, CanWriteRestitution]
    parser_classes = [MultiPartParser]
    serializer_class = RestitutionDocumentSerializer

    @extend_schema(
        request=RestitutionDocumentCreateSerializer,
        responses={201: RestitutionDocumentSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        consultation = _visible_consultation(request, slug)
        self.check_object_permissions(request, consultation)
        restitution = get_object_or_404(Restitution, consultation=consultation)
        data = RestitutionDocumentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = restitution_add_document(restitution=restitution, **data.validated_data)
        return Response(
            RestitutionDocumentSerializer(document, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
