"""Background maintenance tasks of the platform core."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken


@task()
def flush_expired_tokens() -> int:
    """Delete refresh tokens past their expiry (and their blacklist rows); return how many."""
    deleted, _ = OutstandingToken.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


@task()
def apply_retention() -> dict[str, int]:
    """Anonymise and delete personal data past its retention period."""
    from backend import privacy

    return privacy.retention_apply(now=timezone.now())
