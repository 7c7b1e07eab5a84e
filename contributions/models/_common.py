"""File types accepted for documents of consultations and restitutions."""

from __future__ import annotations

DOCUMENT_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "webp"]
