"""Where uploaded files live: the local disk (the demo) or object storage (S3 protocol).

``STORAGE=s3`` puts public files (photo derivatives, consultations' documents) in one
bucket served as is, and the private originals of photos (with their GPS and camera data)
in another, reached only through URLs signed for ``S3_SIGNED_URL_SECONDS``. Any service
speaking the S3 protocol works: AWS, Scaleway, OVHcloud, Outscale, MinIO, Garage.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core import checks

S3_BACKEND = "storages.backends.s3.S3Storage"
# Django's own default for the static files, kept whatever the media storage.
STATIC_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"


def storages_setting(env: Any) -> dict[str, dict[str, Any]] | None:
    """STORAGES for ``STORAGE=s3`` (from the environment), or None for Django's local files."""
    kind = env.str("STORAGE", default="local")
    if kind == "local":
        return None
    if kind != "s3":
        # Refused at start: a typo must not silently store residents' photos on one disk.
        raise ValueError(f"STORAGE must be 'local' or 's3', not {kind!r}.")
    endpoint = env.str("S3_ENDPOINT_URL", default="") or None
    common: dict[str, Any] = {
        "endpoint_url": endpoint,
        # The bucket's region signs the requests; us-east-1 suits servers that ignore it.
        "region_name": env.str("S3_REGION", default="") or "us-east-1",
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        # Objects are never replaced by an upload of the same name.
        "file_overwrite": False,
        "default_acl": None,
        "signature_version": "s3v4",
    }
    if endpoint:
        # Other providers and local servers address buckets in the path.
        common["addressing_style"] = "path"
    public: dict[str, Any] = {
        **common,
        "bucket_name": env.str("S3_PUBLIC_BUCKET", default=""),
        "querystring_auth": False,
    }
    if public_url := env.str("S3_PUBLIC_URL", default=""):
        # A CDN or the bucket's own domain, e.g. https://photos.example.fr/media
        parts = urlsplit(public_url)
        public["url_protocol"] = f"{parts.scheme}:"
        public["custom_domain"] = f"{parts.netloc}{parts.path}".rstrip("/")
    private = {
        **common,
        "bucket_name": env.str("S3_PRIVATE_BUCKET", default=""),
        "querystring_auth": True,
        "querystring_expire": env.int("S3_SIGNED_URL_SECONDS", default=300),
    }
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": public},
        "signalements_private": {"BACKEND": S3_BACKEND, "OPTIONS": private},
        "staticfiles": {"BACKEND": STATIC_BACKEND},
    }


def public_prefix() -> str | None:
    """What every public file's URL starts with, followed by its name: MEDIA_URL for local
    files, the bucket's (or S3_PUBLIC_URL's) address for an unsigned bucket; None when
    URLs are not made that way (signed ones)."""
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage, default_storage

    if isinstance(default_storage, FileSystemStorage):
        return settings.MEDIA_URL
    probe = "signalements/photos/probe.jpg"
    url = default_storage.url(probe)
    if "?" in url or not url.endswith(probe):
        return None
    return url[: -len(probe)]


def check_object_storage(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """STORAGE=s3 needs two distinct buckets: one public, one private."""
    from django.conf import settings

    storages = getattr(settings, "STORAGES", {})
    if storages.get("default", {}).get("BACKEND") != S3_BACKEND:
        return []
    public = storages["default"].get("OPTIONS", {}).get("bucket_name")
    private = storages.get("signalements_private", {}).get("OPTIONS", {}).get("bucket_name")
    errors = []
    if not public or not private:
        errors.append(
            checks.Error(
                "STORAGE=s3 needs S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET.",
                id="storage.E001",
            )
        )
    elif public == private:
        errors.append(
            checks.Error(
                "S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET must differ: photo originals carry "
                "GPS and camera data and must never be in the bucket served to the public.",
                id="storage.E002",
            )
        )
    return errors
