"""The public JSON and Atom feeds of consultations."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.throttling import throttle_by_address
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


@throttle_by_address
def consultation_atom(request: HttpRequest) -> HttpResponse:
    """Atom feed of the published consultations, newest opening first."""
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
