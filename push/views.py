from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from backend.pagination import CursorPagination
from push import services
from push.models import Device, Notification
from push.serializers import DeviceSerializer, NotificationSerializer, PreferencesSerializer


def _device_for(request: Request, token: str) -> Device:
    """The device of a token; one linked to an account is only reachable by that account."""
    device = get_object_or_404(Device.objects.active(), token=token)
    if device.user_id is not None and device.user_id != getattr(request.user, "pk", None):
        raise NotFound()
    return device


class DeviceViewSet(viewsets.GenericViewSet):
    """Phones registering their FCM token, with or without an account."""

    serializer_class = DeviceSerializer
    lookup_field = "token"
    lookup_value_regex = "[^/]+"
    queryset = Device.objects.none()

    @extend_schema(
        responses={
            201: OpenApiResponse(DeviceSerializer, description="A token seen for the first time."),
            200: OpenApiResponse(DeviceSerializer, description="A known token, refreshed."),
        }
    )
    def create(self, request: Request) -> Response:
        """Register a token, or refresh it; when logged in, the device moves to this account."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        device, created = services.device_register(**serializer.validated_data, user=user)
        return Response(
            DeviceSerializer(device).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, token: str) -> Response:
        """Forget a device: it receives nothing more."""
        services.device_forget(device=_device_for(request, token))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer)
    @action(detail=True, methods=["get", "put", "patch"], serializer_class=PreferencesSerializer)
    def preferences(self, request: Request, token: str) -> Response:
        """Interests and channels of a device used without an account."""
        preferences = services.preferences_of(device=_device_for(request, token))
        return _preferences_response(request, preferences)


def _preferences_response(request: Request, preferences: object) -> Response:
    if request.method == "GET":
        return Response(PreferencesSerializer(preferences).data)
    serializer = PreferencesSerializer(
        preferences, data=request.data, partial=request.method == "PATCH"
    )
    serializer.is_valid(raise_exception=True)
    preferences = services.preferences_update(preferences=preferences, **serializer.validated_data)
    return Response(PreferencesSerializer(preferences).data)


class MyPreferencesView(generics.GenericAPIView):
    """Interests and channels of the person logged in (all their devices follow them)."""

    serializer_class = PreferencesSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request: Request) -> Response:
        return _preferences_response(request, services.preferences_of(user=request.user))

    def put(self, request: Request) -> Response:
        return _preferences_response(request, services.preferences_of(user=request.user))

    def patch(self, request: Request) -> Response:
        return _preferences_response(request, services.preferences_of(user=request.user))


class InboxPagination(CursorPagination):
    """The one page envelope (a cursor page: ``count`` is null), plus ``unread_count``."""

    ordering = ("-created_at", "-id")

    def get_paginated_response(self, data: list) -> Response:
        response = super().get_paginated_response(data)
        response.data["unread_count"] = self.unread_count
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["unread_count"] = {
            "type": "integer",
            "description": "Unread notifications in the whole inbox, not only on this page.",
        }
        schema["required"] = [*schema.get("required", []), "unread_count"]
        return schema


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The inbox: newest first, with the count of unread notifications."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = InboxPagination
    lookup_value_regex = r"\d+"

    def get_queryset(self):  # noqa: ANN201
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return Notification.objects.filter(user=self.request.user)

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        self.paginator.unread_count = self.get_queryset().filter(read_at__isnull=True).count()
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        services.notification_mark_read(notification=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses=inline_serializer("ReadAll", {"updated": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"updated": services.notifications_mark_all_read(user=request.user)})
