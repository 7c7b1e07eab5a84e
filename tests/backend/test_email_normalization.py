"""One written form of an e-mail address: stored, compared and counted under it everywhere."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client

from backend import services
from backend.models import User
from backend.validators import email_fold, normalize_email
from push.models import OutgoingEmail

pytestmark = pytest.mark.django_db

PASSWORD = "Tres-Bon-Mot-2026"


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("Alice@Example.TEST", "alice@example.test"),
        ("  alice@example.test \t", "alice@example.test"),
        ("ａｌｉｃｅ@ｅｘａｍｐｌｅ.test", "alice@example.test"),  # fullwidth letters
        ("\u212aim@example.test", "kim@example.test"),  # Kelvin sign
        ("\u017fam@example.test", "sam@example.test"),  # long s
        ("bob@NÎMES.fr", "bob@xn--nmes-0pa.fr"),  # an internationalised domain, in ASCII
    ],
)
def test_an_address_has_one_written_form(given, written):
    assert normalize_email(given) == written
    assert email_fold(given) == written


@pytest.mark.parametrize(
    "given", ["al\u0131ce@example.test", "fran\u00e7ois@example.test", "bob@examp\u0131e.test"]
)
def test_letters_that_fold_into_others_are_refused_naming_the_field(given):
    with pytest.raises(ValidationError) as refused:
        normalize_email(given)
    assert list(refused.value.message_dict) == ["email"]


def test_registering_a_dotless_i_look_alike_is_refused_in_french_and_english(api, other_citizen):
    payload = {"email": "vo\u0131sin@example.test", "password": PASSWORD}
    response = api.post("/api/v1/auth/register/", payload)
    assert response.status_code == 400
    assert "avant le @" in response.json()["fields"]["email"][0]
    english = api.post("/api/v1/auth/register/", payload, HTTP_ACCEPT_LANGUAGE="en")
    assert "before the @" in english.json()["fields"]["email"][0]
    assert not User.objects.exclude(pk=other_citizen.pk).filter(email__contains="sin@").exists()


@pytest.mark.parametrize(
    "variant",
    ["VOISIN@example.test", " voisin@example.test ", "ｖｏｉｓｉｎ@example.test"],
)
def test_a_variant_of_a_taken_address_creates_no_second_account(api, other_citizen, variant):
    response = api.post("/api/v1/auth/register/", {"email": variant, "password": PASSWORD})
    assert response.status_code == 400
    assert response.json()["code"] == "email_taken"
    assert User.objects.filter(email__icontains="oisin@").count() == 1
    assert OutgoingEmail.objects.filter(to="voisin@example.test").count() == 1


def test_a_long_s_cannot_squat_the_address_it_imitates(api):
    api.post("/api/v1/auth/register/", {"email": "\u017fam@example.test", "password": PASSWORD})
    assert User.objects.get(email="sam@example.test")
    second = api.post("/api/v1/auth/register/", {"email": "sam@example.test", "password": "x"})
    assert second.status_code == 400  # the same account: its password rules apply, no new one


@pytest.mark.parametrize(
    "variant", ["VOISIN@EXAMPLE.TEST", "  voisin@example.test", "ｖｏｉｓｉｎ@example.test"]
)
def test_any_variant_logs_in(api, other_citizen, variant):
    response = api.post(
        "/api/v1/auth/token/", {"email": variant, "password": "Voisin-Password-2026"}
    )
    assert response.status_code == 200, response.content


def test_variants_share_one_lockout_budget(api, other_citizen, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    for variant in ["voisin@example.test", "VOISIN@example.test", "ｖｏｉｓｉｎ@example.test"]:
        api.post("/api/v1/auth/token/", {"email": variant, "password": "wrong"})
    response = api.post(
        "/api/v1/auth/token/",
        {"email": " Voisin@Example.test ", "password": "Voisin-Password-2026"},
    )
    assert response.status_code == 429


def test_a_reset_for_a_variant_goes_to_the_owner(api, other_citizen):
    api.post("/api/v1/auth/password/reset/", {"email": "ＶＯＩＳＩＮ@example.test"})
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["voisin@example.test"]


def test_a_dotless_i_variant_gets_no_reset_mail(api, other_citizen):
    response = api.post("/api/v1/auth/password/reset/", {"email": "vo\u0131sin@example.test"})
    assert response.status_code == 400
    assert "email" in response.json()["fields"]
    assert not OutgoingEmail.objects.exists()


def test_open311_reports_of_a_variant_land_in_the_owners_account(other_citizen):
    assert services.user_for_email(email="VOISIN@Example.test ") == other_citizen
    with pytest.raises(ValidationError) as refused:
        services.user_for_email(email="vo\u0131sin@example.test")
    assert "email" in refused.value.message_dict


def test_the_database_refuses_a_second_spelling(other_citizen):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Voisin@EXAMPLE.test")


def test_the_back_office_form_finds_the_address_taken(other_citizen):
    user = User(email="VOISIN@example.test", password="!")
    with pytest.raises(ValidationError) as refused:
        user.full_clean()
    assert "email" in refused.value.message_dict


def test_the_migration_writes_stored_addresses_in_their_form(other_citizen, citizen):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE backend_user SET email = %s WHERE id = %s",
            ["  Voisin@EXAMPLE.test", other_citizen.pk],
        )
    rival = User.objects.create_user("rival@example.test")
    with connection.cursor() as cursor:
        # A second spelling of an address already written in its form: left for staff.
        cursor.execute(
            "UPDATE backend_user SET email = %s WHERE id = %s", ["CITOYEN@demo.test", rival.pk]
        )
    migration = importlib.import_module("backend.migrations.0003_email_normalized")
    migration.normalize_stored_emails(apps, None)
    stored = dict(User.objects.values_list("pk", "email"))
    assert stored[other_citizen.pk] == "voisin@example.test"
    assert stored[citizen.pk] == "citoyen@demo.test"
    assert stored[rival.pk] == "CITOYEN@demo.test"


def test_the_back_office_creates_accounts_under_the_written_form(other_citizen):
    chef = User.objects.create_superuser("chef@example.test", "Chef-Password-2026")
    browser = Client()
    browser.force_login(chef)
    inlines = {}
    for prefix in ("memberships", "organisation_roles"):
        inlines |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    def add(email):
        return browser.post(
            "/admin/backend/user/add/",
            {
                "email": email,
                "password1": "Agent-Password-2026",
                "password2": "Agent-Password-2026",
                "usable_password": "true",
                **inlines,
            },
        )

    assert add(" Nouvel.Agent@Example.TEST").status_code == 302
    assert User.objects.filter(email="nouvel.agent@example.test").exists()
    for variant in ("VOISIN@example.test", "vo\u0131sin@example.test"):
        refused = add(variant)
        assert refused.status_code == 200
        assert "email" in refused.context["adminform"].form.errors
