"""The public JSON and Atom feeds of consultations."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.renderers import AtomRenderer, OneFormatNegotiation
from contributions.models import Consultation
from contributions.selectors.consultations import public_url
from contributions.selectors.feeds import consultation_feed
from contributions.serializers.feeds import FeedSerializer


class ConsultationFeedView(APIView):
    """The stable public feed other platforms import (``manage.py import_consultations``)."""

    renderer_classes = [JSONRenderer]
    pagination_class = None

    @extend_schema(responses=FeedSerializer, summary="Public JSON feed")
    def get(self, request: Request) -> Response:
        return Response(consultation_feed(feed_url=request.build_absolute_uri()))


@extend_schema(
    summary="Atom feed of the published consultations",
    responses={
        (200, "application/atom+xml"): OpenApiResponse(
            OpenApiTypes.STR, description="An Atom 1.0 feed (RFC 4287), newest opening first."
        )
    },
)
class ConsultationAtomView(APIView):
    """Atom feed of the published consultations, newest opening first."""

    authentication_classes: list[type] = []
    permission_classes = [permissions.AllowAny]
    renderer_classes = [AtomRenderer]
    content_negotiation_class = OneFormatNegotiation

    def get(self, request: Request) -> HttpResponse:
        return consultation_atom(request)


def consultation_atom(request: Request) -> HttpResponse:
    feed = Atom1Feed(
        title=_("Consultations of %(territory)s") % {"territory": settings.TERRITORY_NAME},
        link=settings.FRONTEND_URL,
        description=_("Projects submitted to public participation."),
        feed_url=request.build_absolute_uri(),
        language=request.LANGUAGE_CODE,
    )
    consultations = (
        Consultation.objects.published().select_related("organisation").order_by("-opens_at")[:50]
    )
    for consultation in consultations:
        feed.add_item(
            title=consultation.title,
            link=public_url(consultation),
            description=consultation.summary,
            unique_id=public_url(consultation),
            pubdate=consultation.published_at or consultation.created_at,
            updateddate=consultation.updated_at,
            author_name=consultation.organisation.name,
            categories=[str(consultation.get_kind_display())],
        )
    return HttpResponse(
        feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )
