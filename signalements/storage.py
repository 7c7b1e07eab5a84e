"""Where the private originals of photos go: never under MEDIA_URL."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.files.storage.handler import InvalidStorageError


class PrivateFileSystemStorage(FileSystemStorage):
    """Local files under SIGNALEMENT_PRIVATE_MEDIA_ROOT, read at each use so tests can move it."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.SIGNALEMENT_PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        # No URL on purpose: originals carry GPS and camera data and are for staff only.
        return None


def private_storage() -> Storage:
    """The ``signalements_private`` storage of STORAGES (e.g. a private S3 bucket), else local."""
    try:
        return storages["signalements_private"]
    except InvalidStorageError:
        return PrivateFileSystemStorage()
