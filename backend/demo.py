"""Demo organisations, directions and accounts (all accounts share DEMO_PASSWORD)."""

from __future__ import annotations

from django.db import transaction

from backend.models import Direction, Membership, Organisation, OrganisationRole, User

DEMO_PASSWORD = "Nimes-Demo-2026"

AGGLOMERATION_DIRECTIONS = [
    ("eau", "Direction de l'eau et de l'assainissement", "Eau potable, assainissement, fuites."),
    (
        "dechets",
        "Direction de la collecte et de la valorisation des déchets",
        "Collecte des déchets, bacs, dépôts sauvages, déchèteries.",
    ),
    ("voirie", "Direction de la voirie", "Voirie d'intérêt communautaire, chaussée, trottoirs."),
    ("transports", "Direction des transports publics", "Réseau de bus et tram, arrêts, abribus."),
    ("espaces-verts", "Direction des espaces verts", "Parcs et espaces verts communautaires."),
    (
        "developpement-durable",
        "Direction aménagement et développement durables",
        "Participation citoyenne, concertations, relais entre habitants et directions.",
    ),
]

ACCOUNTS = [
    # email, first name, last name, direction key, role
    ("citoyen@demo.test", "Camille", "Martin", None, None),
    ("agent.voirie@demo.test", "Karim", "Benali", "voirie", Membership.Role.AGENT),
    ("manager.voirie@demo.test", "Sophie", "Durand", "voirie", Membership.Role.MANAGER),
    ("agent.eau@demo.test", "Lucie", "Roux", "eau", Membership.Role.AGENT),
    ("moderation@demo.test", "Nadia", "Fabre", "developpement-durable", Membership.Role.MANAGER),
    ("admin@demo.test", "Paul", "Garcia", None, None),
    ("participation@demo.test", "Julien", "Roche", None, None),
]


def _account(email: str, first_name: str, last_name: str) -> User:
    user, created = User.objects.update_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load() -> None:
    agglomeration, _ = Organisation.objects.update_or_create(
        slug="nimes-metropole",
        defaults={
            "kind": Organisation.Kind.AGGLOMERATION,
            "name": "Nîmes Métropole",
            "siren": "243000643",
            "website": "https://www.nimes-metropole.fr",
        },
    )
    gard, _ = Organisation.objects.update_or_create(
        slug="departement-du-gard",
        defaults={"kind": Organisation.Kind.DEPARTEMENT, "name": "Département du Gard"},
    )
    Organisation.objects.update_or_create(
        slug="region-occitanie",
        defaults={"kind": Organisation.Kind.REGION, "name": "Région Occitanie"},
    )
    Direction.objects.update_or_create(
        slug="gard-routes",
        defaults={"organisation": gard, "name": "Direction des routes du Gard"},
    )
    directions = {}
    for key, name, competences in AGGLOMERATION_DIRECTIONS:
        directions[key], _ = Direction.objects.update_or_create(
            slug=f"nm-{key}",
            defaults={
                "organisation": agglomeration,
                "name": name,
                "competences": competences,
                "email": f"{key}@demo.test",
            },
        )
    for email, first_name, last_name, direction_key, role in ACCOUNTS:
        user = _account(email, first_name, last_name)
        if direction_key:
            Membership.objects.update_or_create(
                user=user, direction=directions[direction_key], defaults={"role": role}
            )
    moderator = User.objects.get(email="moderation@demo.test")
    OrganisationRole.objects.get_or_create(
        user=moderator, organisation=agglomeration, role=OrganisationRole.Role.MODERATOR
    )
    admin = User.objects.get(email="admin@demo.test")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    OrganisationRole.objects.get_or_create(
        user=admin, organisation=agglomeration, role=OrganisationRole.Role.ADMIN
    )
    OrganisationRole.objects.get_or_create(
        user=User.objects.get(email="participation@demo.test"),
        organisation=agglomeration,
        role=OrganisationRole.Role.PARTICIPATION,
    )
