"""Where the private originals of photos go: never under MEDIA_URL."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.files.storage.handler import InvalidStorageError
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect


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


def private_file_response(file: FieldFile) -> HttpResponse:
    """A private file for someone already allowed to read it, never to be cached.

    A storage that signs URLs (a private bucket) gets a redirect to a URL that expires
    (S3_SIGNED_URL_SECONDS); local files, which have no URL, are streamed.
    """
    try:
        url = file.url
    except ValueError:
        url = None
    if url:
        response: HttpResponse = HttpResponseRedirect(url)
    else:
        response = FileResponse(file.open("rb"))
    response["Cache-Control"] = "private, no-store"
    # The signed URL must not leak to another site through the Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response


# Uploads ------------------------------------------------------------------------------------

# Django's upload handlers read the request body 64 KiB at a time; a report carries up to
# 5 phone photos of several MB each, and every chunk costs a turn of the multipart parser
# in Python (and, behind gunicorn, a copy of its read-ahead buffer). 1 MiB chunks make a
# 12 MB upload ~190 turns fewer; the memory held per upload stays small.
UPLOAD_CHUNK_SIZE = 1024 * 1024


class MemoryUploadHandler(MemoryFileUploadHandler):
    """Django's in-memory upload handler (small files), reading larger chunks."""

    chunk_size = UPLOAD_CHUNK_SIZE


class TemporaryUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file upload handler (large files), reading larger chunks."""

    chunk_size = UPLOAD_CHUNK_SIZE
