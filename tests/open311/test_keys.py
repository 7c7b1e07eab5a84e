"""API keys: issued by a command and printed once, stored hashed, revocable."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.contrib.admin.sites import AdminSite
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from signalements.open311 import services
from signalements.open311.admin import Open311ApiKeyAdmin
from signalements.open311.models import Open311ApiKey
from tests.open311.helpers import NIMES_FORM, post

pytestmark = pytest.mark.django_db


def _create(*args: str) -> str:
    out = StringIO()
    call_command("open311_key", "create", *args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_the_command_prints_a_key_stored_only_as_a_hash(agglomeration):
    raw = _create("--organisation", "nimes-metropole", "--name", "Appli tierce")

    key = Open311ApiKey.objects.get()
    assert key.organisation == agglomeration
    assert not key.can_update
    assert raw.startswith(key.key_prefix + ".")
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {key.key_hash, key.key_prefix, key.name}


def test_the_command_issues_update_keys(agglomeration):
    _create("--organisation", "nimes-metropole", "--name", "GMAO", "--can-update")

    assert Open311ApiKey.objects.get().can_update


def test_an_unknown_organisation_is_refused(db):
    with pytest.raises(CommandError):
        _create("--organisation", "nulle-part", "--name", "X")


def test_a_key_works_until_revoked_by_the_command(api, agglomeration):
    raw = _create("--organisation", "nimes-metropole", "--name", "Appli tierce")
    assert post(api, "requests", "json", {"api_key": raw, **NIMES_FORM}).status_code == 200
    key = Open311ApiKey.objects.get()
    assert key.last_used_at is not None

    call_command("open311_key", "revoke", key.key_prefix, stdout=StringIO())

    assert post(api, "requests", "json", {"api_key": raw, **NIMES_FORM}).status_code == 403
    with pytest.raises(CommandError):
        call_command("open311_key", "revoke", "inconnu", stdout=StringIO())


def test_the_admin_revokes_keys(agglomeration, org_admin):
    key, raw = services.api_key_create(organisation=agglomeration, name="Appli")
    admin = Open311ApiKeyAdmin(Open311ApiKey, AdminSite())
    request = RequestFactory().post("/")
    request.user = org_admin
    request._messages = type("Messages", (), {"add": lambda *args, **kwargs: None})()

    admin.revoke(request, Open311ApiKey.objects.filter(pk=key.pk))

    key.refresh_from_db()
    assert not key.is_active
    with pytest.raises(services.Open311Error):
        services.api_key_check(raw=raw)


def test_a_key_with_a_known_prefix_but_another_secret_is_refused(agglomeration):
    key, raw = services.api_key_create(organisation=agglomeration, name="Appli")

    with pytest.raises(services.Open311Error) as error:
        services.api_key_check(raw=f"{key.key_prefix}.not-the-secret")

    assert error.value.code == 403
    assert services.api_key_check(raw=raw) == key
