"""The contact form and the staff's handling of its messages."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.throttling import ScopedRateThrottle
from contributions.filters import ContactMessageFilter
from contributions.models import ContactMessage
from contributions.permissions import IsContactStaff
from contributions.selectors.contact import contact_messages_for
from contributions.serializers.contact import (
    ContactAcknowledgementSerializer,
    ContactCreateSerializer,
    ContactMessageSerializer,
    ContactRedirectSerializer,
    ContactReplySerializer,
)
from contributions.services.contact import (
    contact_message_close,
    contact_message_create,
    contact_message_redirect,
    contact_message_reply,
)


class ContactView(APIView):
    """Send a question or an idea to the platform; an acknowledgement is emailed."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "contact"

    @extend_schema(
        request=ContactCreateSerializer,
        responses={201: ContactAcknowledgementSerializer},
    )
    def post(self, request: Request) -> Response:
        data = ContactCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        message = contact_message_create(author=user, **data.validated_data)
        return Response(
            ContactAcknowledgementSerializer(message).data,
            status=status.HTTP_201_CREATED,
        )


class ContactMessageViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Staff: the contact messages of their organisation, and those sent to their direction."""

    queryset = ContactMessage.objects.none()
    serializer_class = ContactMessageSerializer
    permission_classes = [permissions.IsAuthenticated, IsContactStaff]
    filterset_class = ContactMessageFilter

    def get_queryset(self) -> QuerySet[ContactMessage]:
        return contact_messages_for(user=self.request.user)

    @extend_schema(request=ContactRedirectSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def redirect(self, request: Request, pk: str) -> Response:
        """Hand the message to a direction (by default, the one owning the consultation)."""
        message = self.get_object()  # who may act is checked before what they sent
        data = ContactRedirectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = contact_message_redirect(
            message=message, direction=data.validated_data.get("direction")
        )
        return Response(self.get_serializer(message).data)

    @extend_schema(request=ContactReplySerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def reply(self, request: Request, pk: str) -> Response:
        """Answer the sender by email."""
        message = self.get_object()  # who may act is checked before what they sent
        data = ContactReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = contact_message_reply(
            message=message, body=data.validated_data["body"], by=request.user
        )
        return Response(self.get_serializer(message).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request: Request, pk: str) -> Response:
        message = contact_message_close(message=self.get_object())
        return Response(self.get_serializer(message).data)
