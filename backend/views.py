from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status, viewsets
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from backend import branding, privacy, serializers, services
from backend.errors import error_body
from backend.models import Direction, Membership, Organisation
from backend.schema import ErrorSerializer
from backend.throttling import ScopedRateThrottle


class AuthThrottleMixin:
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class RegisterView(AuthThrottleMixin, generics.GenericAPIView):
    """Create an account and log in with it: the answer is that of ``/auth/token/``.

    The account's language is the body's ``language``, else that of ``Accept-Language``.
    An address that already has an account is refused (``fields.email``, code
    ``email_taken``), and its owner is told by e-mail, at most once a day.
    """

    serializer_class = serializers.RegisterSerializer

    @extend_schema(responses={201: serializers.SessionSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        device_token = fields.pop("device_token", "")
        fields.setdefault("language", _request_language())
        try:
            user = services.user_register(**fields)
        except services.EmailTaken as error:
            [message] = error.message_dict["email"]
            return Response(
                error_body("email_taken", message, {"email": [message]}),
                status=status.HTTP_400_BAD_REQUEST,
            )
        session = services.session_open(user=user, device_token=device_token)
        return Response(serializers.SessionSerializer(session).data, status=status.HTTP_201_CREATED)


def _request_language() -> str:
    """The language the request asked for (``Accept-Language``, read by LocaleMiddleware)."""
    return "en" if (translation.get_language() or "").startswith("en") else "fr"


class TokenObtainView(AuthThrottleMixin, jwt_views.TokenViewBase):
    """Exchange an email and a password for an access and a refresh token, and the account.

    After repeated failures for one email, here or in the back-office, logging in with it
    is refused for a while (failures are counted by ``backend.authentication``).
    """

    serializer_class = serializers.LoginSerializer

    @extend_schema(
        responses={
            200: serializers.SessionSerializer,
            401: OpenApiResponse(
                ErrorSerializer,
                description="No active account with this email and password (`no_active_account`).",
            ),
        }
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        email = str(request.data.get("email", "")) if isinstance(request.data, dict) else ""
        if wait := services.login_lockout_remaining(email=email):
            raise Throttled(
                wait=wait,
                detail=_("Too many failed attempts with this email address. Try again later."),
            )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_open(**serializer.validated_data)
        return Response(serializers.SessionSerializer(session).data)


@extend_schema_view(
    post=extend_schema(
        responses={
            200: jwt_serializers.TokenRefreshSerializer,
            401: OpenApiResponse(
                ErrorSerializer,
                description="The refresh token is invalid, expired or revoked (`token_not_valid`).",
            ),
        }
    )
)
class TokenRefreshView(AuthThrottleMixin, jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; the old refresh token stops working."""


class LogoutView(generics.GenericAPIView):
    """Revoke a refresh token."""

    serializer_class = serializers.LogoutSerializer

    @extend_schema(responses={204: None})
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.user_logout(**serializer.validated_data)
        except TokenError as error:
            raise InvalidToken(error.args[0]) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.RetrieveUpdateDestroyAPIView):
    """The account of the person logged in; DELETE erases it."""

    serializer_class = serializers.MeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):  # noqa: ANN201
        return self.request.user

    def perform_update(self, serializer: serializers.MeSerializer) -> None:
        services.user_update(user=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance: object) -> None:
        services.user_erase(user=self.request.user)


class MyDataExportView(generics.GenericAPIView):
    """Everything held about the person logged in, as one JSON archive."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        response = Response(privacy.user_data_export(user=request.user))
        response["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
        return response


class PasswordChangeView(generics.GenericAPIView):
    """Change one's password; every other session is logged out."""

    serializer_class = serializers.PasswordChangeSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={204: None})
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_change_password(user=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetView(AuthThrottleMixin, generics.GenericAPIView):
    """Send a reset link by email. The answer is the same whether the address exists or not."""

    serializer_class = serializers.PasswordResetSerializer

    @extend_schema(responses={202: None})
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(**serializer.validated_data)
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(AuthThrottleMixin, generics.GenericAPIView):
    """Set a new password with the ``uid`` and ``token`` of the reset email."""

    serializer_class = serializers.PasswordResetConfirmSerializer

    @extend_schema(responses={204: None})
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_confirm(**serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Collectivités and their directions, each named by its slug."""

    queryset = (
        Organisation.objects.select_related("parent")
        .prefetch_related("directions__organisation")
        .order_by("name")
    )
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    serializer_class = serializers.OrganisationSerializer
    filterset_fields = ["kind"]


class IsMemberOfDirection(permissions.BasePermission):
    """The agents and managers of this direction, and back-office superusers."""

    message = gettext_lazy("Only the agents and managers of this direction may see its members.")

    def has_object_permission(self, request: Request, view: object, obj: Direction) -> bool:
        user = request.user
        return user.is_superuser or obj.memberships.filter(user=user).exists()


class DirectionMembersView(generics.ListAPIView):
    """The people of a direction and their role: ``id`` is the ``agent`` of an assignment.

    Its own agents and managers see them (an agent may only take a report, a manager
    gives it to anyone here); anyone else gets 403, an unknown direction 404.
    """

    serializer_class = serializers.DirectionMemberSerializer
    permission_classes = [permissions.IsAuthenticated, IsMemberOfDirection]

    def get_queryset(self):  # noqa: ANN201
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        direction = get_object_or_404(Direction, slug=self.kwargs["slug"])
        self.check_object_permissions(self.request, direction)
        return (
            direction.memberships.filter(user__is_active=True)
            .select_related("user")
            .order_by("user__first_name", "user__last_name", "user_id")
        )


class MyDirectionsView(generics.ListAPIView):
    """The directions the person logged in works in, with their role in each (often none)."""

    serializer_class = serializers.MyDirectionSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):  # noqa: ANN201
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return (
            Membership.objects.filter(user=self.request.user)
            .select_related("direction__organisation")
            .order_by("direction__organisation__name", "direction__name")
        )


def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _app_page(request: HttpRequest, template: str) -> HttpResponse:
    """A web app's page (staff or resident): a client of the public API with its own JWT."""
    context = {
        # Map tiles are the one host the apps may ask besides this server (none when empty).
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        # Production loads the bundle built by scripts/bootstrap.sh; DEBUG, the modules.
        "bundled": not settings.DEBUG,
        "brand": branding.current(),
    }
    response = render(request, template, context)
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def staff_app(request: HttpRequest) -> HttpResponse:
    """The staff web app's page."""
    return _app_page(request, "app/index.html")


@require_safe
def resident_app(request: HttpRequest) -> HttpResponse:
    """The resident web app's page (an installable PWA on the public API)."""
    return _app_page(request, "app/resident/index.html")


RESIDENT_APP_DESCRIPTION = {
    "fr": "Signalez un problème dans la rue et suivez-le.",
    "en": "Report a problem in the street and follow it.",
}


@require_safe
def resident_manifest(request: HttpRequest) -> JsonResponse:
    """The resident app's web app manifest: what a phone needs to install it."""
    app = reverse("resident-app")
    language = _request_language()
    brand = branding.current()
    manifest = {
        "name": brand.name,
        "short_name": brand.short_name,
        "description": RESIDENT_APP_DESCRIPTION[language],
        "lang": language,
        "start_url": app,
        "scope": app,
        "id": app,
        "display": "standalone",
        "background_color": brand.background_color,
        "theme_color": brand.color,
        "icons": [
            {
                "src": reverse("resident-icon", args=[size]),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in branding.ICON_SIZES
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def resident_icon(request: HttpRequest, size: int) -> HttpResponse:
    """The app's icon at one of the manifest's sizes: the city's logo (APP_LOGO) or ours."""
    if size not in branding.ICON_SIZES:
        raise Http404
    response = HttpResponse(branding.icon_png(size), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@lru_cache(maxsize=1)
def _service_worker_script() -> bytes:
    return (settings.BASE_DIR / "web" / "app" / "resident" / "sw.js").read_bytes()


@require_safe
def resident_service_worker(request: HttpRequest) -> HttpResponse:
    """The resident app's service worker, served under /citoyen/ so that is its scope."""
    response = HttpResponse(_service_worker_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("resident-app")
    # Browsers check for a new worker on each visit: never a stale one from a cache.
    response["Cache-Control"] = "no-cache"
    return response
