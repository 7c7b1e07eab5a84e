"""Staff who may not use the back-office are sent to the staff workspace, not refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from backend.demo import DEMO_PASSWORD
from backend.models import Organisation, OrganisationRole, User

pytestmark = pytest.mark.django_db

REFUSAL = "un compte autorisé"  # Django's "... for a staff account", in French
STAFF = ["agent.voirie@demo.test", "manager.voirie@demo.test", "moderation@demo.test"]


@pytest.fixture
def browser() -> Client:
    return Client()


@pytest.fixture
def staff_org_admin(db) -> User:
    """An organisation admin given the back-office, without being a superuser."""
    user = User.objects.create_user("admin.nimes@example.test", DEMO_PASSWORD, is_staff=True)
    OrganisationRole.objects.create(
        user=user,
        organisation=Organisation.objects.get(slug="nimes-metropole"),
        role=OrganisationRole.Role.ADMIN,
    )
    return user


def admin_login(browser: Client, email: str, password: str = DEMO_PASSWORD):
    return browser.post(
        "/admin/login/?next=/admin/signalements/", {"username": email, "password": password}
    )


@pytest.mark.parametrize("email", STAFF)
def test_staff_with_the_right_password_are_sent_to_the_workspace(browser, email):
    response = admin_login(browser, email)
    assert response.status_code == 302
    assert response["Location"] == "/app/", "a bare address: no next, nothing else"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("email", STAFF)
def test_staff_sent_to_the_workspace_get_no_back_office_session(browser, email):
    admin_login(browser, email)
    assert SESSION_KEY not in browser.session
    response = browser.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_resident_is_still_refused(browser, citizen):
    response = admin_login(browser, citizen.email)
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert SESSION_KEY not in browser.session


@pytest.mark.parametrize("email", [*STAFF, "citoyen@demo.test"])
def test_a_wrong_password_is_refused(browser, email):
    response = admin_login(browser, email, password="wrong")
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()


def test_a_wrong_password_counts_towards_the_lockout(browser, agent_voirie, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    for _ in range(3):
        assert admin_login(browser, agent_voirie.email, password="wrong").status_code == 200
    response = admin_login(browser, agent_voirie.email)
    assert response.status_code == 429, "locked out even with the right password"
    assert int(response["Retry-After"]) > 0


def test_the_superuser_opens_the_back_office(browser, org_admin):
    response = admin_login(browser, org_admin.email)
    assert response.status_code == 302
    assert response["Location"] == "/admin/signalements/"
    assert browser.get("/admin/").status_code == 200


def test_an_organisation_admin_opens_the_back_office(browser, staff_org_admin):
    response = admin_login(browser, staff_org_admin.email)
    assert response.status_code == 302
    assert response["Location"] == "/admin/signalements/"
    assert browser.get("/admin/").status_code == 200


def test_a_member_of_a_direction_given_the_back_office_keeps_it(browser, agent_voirie):
    agent_voirie.is_staff = True
    agent_voirie.save(update_fields=["is_staff"])
    response = admin_login(browser, agent_voirie.email)
    assert response["Location"] == "/admin/signalements/"
    assert browser.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/login/", "/admin/signalements/signalement/", "/admin/password_change/"],
)
@pytest.mark.parametrize("persona", ["agent_voirie", "manager_voirie", "moderator"])
def test_logged_in_staff_visiting_the_back_office_are_sent_to_the_workspace(
    browser, request, persona, path
):
    browser.force_login(request.getfixturevalue(persona))
    response = browser.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/app/"


def test_a_logged_in_resident_is_sent_to_the_login_page(browser, citizen):
    browser.force_login(citizen)
    response = browser.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    assert browser.get("/admin/login/").status_code == 200


def test_a_logged_in_staff_member_may_still_log_in_as_an_admin(browser, agent_voirie, org_admin):
    browser.force_login(agent_voirie)
    response = admin_login(browser, org_admin.email)
    assert response["Location"] == "/admin/signalements/"
    assert browser.get("/admin/").status_code == 200
