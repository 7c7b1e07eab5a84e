"""Demo categories, routing rules and a few hundred reports across the territory.

Category names and descriptions are data, not messages to translate: French, with the
English texts the API serves to English readers. The reports are drawn from a seeded
random generator and loaded once (marked with ``source=demo``).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import transaction
from django.utils import timezone

from backend.models import Direction, User
from geo.models import Commune
from signalements import workflow
from signalements.models import (
    Category,
    Follow,
    Question,
    RoutingRule,
    Signalement,
    SignalementEvent,
    Status,
    Theme,
)
from signalements.services import signalement_route

REPORT_COUNT = 320
SEED = 30189

THEMES = [
    # slug, name, name in English, icon
    ("voirie", "Voirie et éclairage", "Roads and lighting", "road"),
    ("eau", "Eau et assainissement", "Water and sewerage", "water"),
    ("dechets", "Déchets et propreté", "Waste and cleanliness", "trash"),
    ("transports", "Transports", "Transport", "bus"),
    ("espaces-verts", "Espaces verts", "Green spaces", "tree"),
    ("securite", "Sécurité", "Safety", "warning"),
]

SIZE_VALUES = [
    {"key": "petit", "name": "Moins de 20 cm", "name_en": "Under 20 cm"},
    {"key": "moyen", "name": "De 20 à 50 cm", "name_en": "20 to 50 cm"},
    {"key": "grand", "name": "Plus de 50 cm", "name_en": "Over 50 cm"},
]
LEAK_VALUES = [
    {"key": "chaussee", "name": "Sur la chaussée", "name_en": "On the road"},
    {"key": "trottoir", "name": "Sur le trottoir", "name_en": "On the pavement"},
    {"key": "compteur", "name": "Au compteur", "name_en": "At the meter"},
    {"key": "borne", "name": "Borne ou bouche incendie", "name_en": "Hydrant"},
]
BIN_VALUES = [
    {
        "key": "ordures",
        "name": "Ordures ménagères (couvercle gris)",
        "name_en": "Household waste (grey lid)",
    },
    {"key": "tri", "name": "Tri sélectif (couvercle jaune)", "name_en": "Recycling (yellow lid)"},
    {"key": "verre", "name": "Colonne à verre", "name_en": "Glass bank"},
]

CATEGORIES = [
    {
        "slug": "chaussee-degradee",
        "theme": "voirie",
        "name": "Chaussée dégradée / nid-de-poule",
        "description": "Trou, fissure ou affaissement de la chaussée ou du trottoir.",
        "name_en": "Damaged road / pothole",
        "description_en": "A hole, crack or subsidence in the road or the pavement.",
        "icon": "pothole",
        "competence": Category.Competence.AGGLOMERATION,
        "direction": "nm-voirie",
        "hours_to_acknowledge": 48,
        "days_to_resolve": 30,
        "questions": [
            (
                "taille",
                "singlevaluelist",
                False,
                "Quelle est la taille du trou ?",
                SIZE_VALUES,
                "How big is the hole?",
            ),
        ],
        "texts": [
            "Gros nid-de-poule au milieu de la voie, dangereux pour les deux-roues.",
            "Chaussée affaissée devant le n° {n}, les voitures font des écarts.",
            "Trottoir défoncé, difficile de passer avec une poussette.",
            "Fissures importantes sur la chaussée après les pluies.",
        ],
    },
    {
        "slug": "fuite-d-eau",
        "theme": "eau",
        "name": "Fuite d'eau",
        "description": "Eau qui s'écoule sur la voie publique, compteur ou canalisation qui fuit.",
        "name_en": "Water leak",
        "description_en": "Water running onto the street, a leaking meter or pipe.",
        "icon": "drop",
        "competence": Category.Competence.AGGLOMERATION,
        "direction": "nm-eau",
        "hours_to_acknowledge": 4,
        "days_to_resolve": 2,
        "questions": [
            (
                "emplacement",
                "singlevaluelist",
                True,
                "Où se trouve la fuite ?",
                LEAK_VALUES,
                "Where is the leak?",
            ),
        ],
        "texts": [
            "L'eau coule en continu depuis ce matin sur le trottoir.",
            "Fuite au niveau du compteur, une flaque se forme.",
            "De l'eau sort de la chaussée, ça bouillonne un peu.",
        ],
    },
    {
        "slug": "depot-sauvage",
        "theme": "dechets",
        "name": "Dépôt sauvage",
        "description": "Déchets, encombrants ou gravats abandonnés sur la voie publique.",
        "name_en": "Fly-tipping",
        "description_en": "Waste, bulky items or rubble dumped in a public place.",
        "icon": "trash",
        "competence": Category.Competence.AGGLOMERATION,
        "direction": "nm-dechets",
        "photo_required": True,
        "hours_to_acknowledge": 24,
        "days_to_resolve": 7,
        "questions": [
            ("volume", "number", False, "Volume estimé (m³)", [], "Estimated volume (m³)"),
        ],
        "texts": [
            "Matelas et meubles abandonnés au pied des conteneurs.",
            "Sacs de gravats déposés au bord du chemin.",
            "Encombrants laissés sur le trottoir depuis plusieurs jours.",
            "Dépôt de déchets verts dans le fossé.",
        ],
    },
    {
        "slug": "bac-collecte-endommage",
        "theme": "dechets",
        "name": "Bac de collecte endommagé",
        "description": "Bac ou colonne de tri cassé, renversé ou manquant.",
        "name_en": "Damaged collection bin",
        "description_en": "A bin or recycling bank that is broken, knocked over or missing.",
        "icon": "bin",
        "competence": Category.Competence.AGGLOMERATION,
        "direction": "nm-dechets",
        "days_to_resolve": 15,
        "questions": [
            (
                "type_bac",
                "singlevaluelist",
                True,
                "Quel type de bac ?",
                BIN_VALUES,
                "Which kind of bin?",
            ),
            (
                "numero",
                "string",
                False,
                "Numéro inscrit sur le bac (si visible)",
                [],
                "Number written on the bin (if visible)",
            ),
        ],
        "texts": [
            "Couvercle du bac arraché.",
            "Roue cassée, le bac ne peut plus être déplacé.",
            "Colonne à verre pleine et fissurée.",
        ],
    },
    {
        "slug": "abribus-degrade",
        "theme": "transports",
        "name": "Abribus dégradé",
        "description": "Vitre cassée, banc abîmé, affichage des horaires manquant.",
        "name_en": "Damaged bus shelter",
        "description_en": "Broken glass, damaged bench, missing timetable.",
        "icon": "bus-stop",
        "competence": Category.Competence.AGGLOMERATION,
        "direction": "nm-transports",
        "days_to_resolve": 15,
        "questions": [("arret", "string", False, "Nom de l'arrêt", [], "Name of the stop")],
        "texts": [
            "Vitre de l'abribus brisée, éclats de verre au sol.",
            "Plus d'affichage des horaires à cet arrêt.",
            "Banc de l'abribus arraché.",
        ],
    },
    {
        "slug": "eclairage-public-en-panne",
        "theme": "voirie",
        "name": "Éclairage public en panne",
        "description": "Lampadaire éteint, qui clignote ou reste allumé le jour.",
        "name_en": "Street light out",
        "description_en": "A street light that is off, flickers or stays on during the day.",
        "icon": "lamp",
        "competence": Category.Competence.COMMUNE,
        "direction": None,
        "days_to_resolve": 10,
        "questions": [
            (
                "nombre",
                "number",
                False,
                "Combien de lampadaires sont concernés ?",
                [],
                "How many street lights are affected?",
            ),
        ],
        "texts": [
            "Trois lampadaires éteints dans la rue, très sombre le soir.",
            "Le lampadaire clignote toute la nuit.",
            "Éclairage allumé en plein jour.",
        ],
    },
    {
        "slug": "espace-vert-mal-entretenu",
        "theme": "espaces-verts",
        "name": "Espace vert mal entretenu",
        "description": "Herbes hautes, arbre dangereux, arrosage en panne dans un parc.",
        "name_en": "Poorly kept green space",
        "description_en": "Tall grass, a dangerous tree, broken watering in a park.",
        "icon": "tree",
        "competence": Category.Competence.COMMUNE,
        "direction": None,
        "days_to_resolve": 20,
        "questions": [],
        "texts": [
            "Herbes très hautes dans le square, les enfants ne peuvent plus jouer.",
            "Branche cassée qui menace de tomber sur le chemin.",
            "L'arrosage automatique fuit depuis une semaine.",
        ],
    },
    {
        "slug": "comportement-dangereux",
        "theme": "securite",
        "name": "Signalement d'un comportement dangereux",
        "description": "Rodéos, vitesse excessive, situation dangereuse. Non publié.",
        "name_en": "Dangerous behaviour",
        "description_en": "Motorbike rodeos, speeding, a dangerous situation. Not published.",
        "icon": "warning",
        "competence": Category.Competence.AGGLOMERATION,
        "direction": "nm-developpement-durable",
        "is_public": False,
        "hours_to_acknowledge": 24,
        "questions": [],
        "texts": [
            "Rodéos de motos tous les soirs vers 22 h.",
            "Voitures qui roulent très vite devant l'école.",
        ],
    },
]

RESIDENTS = [
    ("Léa", "Bonnet"),
    ("Hugo", "Lopez"),
    ("Inès", "Chevalier"),
    ("Mathis", "Marchand"),
    ("Chloé", "Fournier"),
    ("Yanis", "Girard"),
    ("Manon", "Mercier"),
    ("Théo", "Blanc"),
]

# How reports are spread over statuses, roughly as in a live service.
STATUS_WEIGHTS = [
    (Status.NEW, 22),
    (Status.ACKNOWLEDGED, 18),
    (Status.SCHEDULED, 10),
    (Status.IN_PROGRESS, 10),
    (Status.RESOLVED, 22),
    (Status.CLOSED, 10),
    (Status.REJECTED, 4),
    (Status.REOPENED, 4),
]
STATUS_PATH = [
    Status.NEW,
    Status.ACKNOWLEDGED,
    Status.SCHEDULED,
    Status.IN_PROGRESS,
    Status.RESOLVED,
    Status.CLOSED,
]
STATUS_MESSAGES = {
    Status.ACKNOWLEDGED: "Votre signalement a bien été pris en compte par nos services.",
    Status.SCHEDULED: "Une intervention est programmée dans les prochains jours.",
    Status.IN_PROGRESS: "Une équipe est sur place.",
    Status.RESOLVED: "L'intervention est terminée. Merci pour votre signalement.",
    Status.CLOSED: "",
    Status.REJECTED: "Ce signalement ne relève pas de nos compétences ; il a été transmis.",
    Status.REOPENED: "Le problème est réapparu, le signalement est rouvert.",
}

# A business park managed by the agglomeration: its lighting is not the commune's.
ACTIVITY_PARK = Polygon(
    ((4.395, 43.800), (4.420, 43.800), (4.420, 43.815), (4.395, 43.815), (4.395, 43.800)),
    srid=4326,
)


def _catalogue() -> dict[str, Category]:
    themes = {}
    for position, (slug, name, name_en, icon) in enumerate(THEMES):
        themes[slug], _ = Theme.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "icon": icon, "position": position},
        )
    categories = {}
    for position, spec in enumerate(CATEGORIES):
        direction = Direction.objects.get(slug=spec["direction"]) if spec["direction"] else None
        category, _ = Category.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "theme": themes[spec["theme"]],
                "name": spec["name"],
                "name_en": spec["name_en"],
                "description": spec["description"],
                "description_en": spec["description_en"],
                "icon": spec["icon"],
                "competence": spec["competence"],
                "default_direction": direction,
                "is_public": spec.get("is_public", True),
                "photo_required": spec.get("photo_required", False),
                "hours_to_acknowledge": spec.get("hours_to_acknowledge"),
                "days_to_resolve": spec.get("days_to_resolve"),
                "position": position,
            },
        )
        for order, (code, datatype, required, text, values, text_en) in enumerate(
            spec["questions"]
        ):
            Question.objects.update_or_create(
                category=category,
                code=code,
                defaults={
                    "datatype": datatype,
                    "required": required,
                    "description": text,
                    "description_en": text_en,
                    "values": values,
                    "order": order,
                },
            )
        categories[spec["slug"]] = category
    return categories


def _rules(categories: dict[str, Category]) -> None:
    nimes = Commune.objects.get(insee_code="30189")
    RoutingRule.objects.update_or_create(
        category=categories["eclairage-public-en-panne"],
        note="Parc d'activités communautaire",
        defaults={
            "area": MultiPolygon(ACTIVITY_PARK, srid=4326),
            "direction": Direction.objects.get(slug="nm-voirie"),
            "priority": 10,
        },
    )
    # In Nîmes the city's services look after the pavements of the streets it owns.
    RoutingRule.objects.update_or_create(
        category=categories["chaussee-degradee"],
        commune=nimes,
        area__isnull=True,
        defaults={
            "direction": Direction.objects.get(slug="services-techniques-nimes"),
            "note": "Voirie communale de Nîmes",
        },
    )


def _residents() -> list[User]:
    people = [User.objects.get(email="citoyen@demo.test")]
    for index, (first_name, last_name) in enumerate(RESIDENTS, start=1):
        user, created = User.objects.get_or_create(
            email=f"habitant{index}@demo.test",
            defaults={"first_name": first_name, "last_name": last_name},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        people.append(user)
    return people


def _random_point(rng: random.Random, commune: Commune) -> Point:
    geometry = commune.geometry
    # Most reports sit near the town centre, where people and streets are.
    centre = geometry.point_on_surface
    xmin, ymin, xmax, ymax = geometry.extent
    for _attempt in range(50):
        x = rng.gauss(centre.x, (xmax - xmin) / 6)
        y = rng.gauss(centre.y, (ymax - ymin) / 6)
        point = Point(x, y, srid=4326)
        if geometry.contains(point):
            return point
    return centre


def _reports(categories: dict[str, Category]) -> None:
    rng = random.Random(SEED)
    residents = _residents()
    communes = list(Commune.objects.select_related("organisation").order_by("insee_code"))
    # Nîmes is more than half of the population: weight it further, as reports follow streets.
    weights = [(c.population or 1000) * (1.2 if c.insee_code == "30189" else 1) for c in communes]
    statuses, status_weights = zip(*STATUS_WEIGHTS, strict=True)
    category_list = list(categories.values())
    now = timezone.now()
    reports: list[Signalement] = []
    dates = []
    for index in range(REPORT_COUNT):
        commune = rng.choices(communes, weights)[0]
        category = rng.choice(category_list)
        point = _random_point(rng, commune)
        decision = signalement_route(category=category, point=point, commune=commune)
        spec = next(item for item in CATEGORIES if item["slug"] == category.slug)
        answers = {}
        for code, datatype, required, _text, values, _text_en in spec["questions"]:
            if values and (required or rng.random() < 0.6):
                answers[code] = rng.choice(values)["key"]
            elif datatype == "number" and rng.random() < 0.5:
                answers[code] = rng.randint(1, 6)
        description = rng.choice(spec["texts"]).format(n=rng.randint(1, 120))
        accuracy_m = round(rng.uniform(3, 25), 1)
        status = rng.choices(statuses, status_weights)[0]
        report = Signalement(
            category=category,
            description=description,
            location=point,
            accuracy_m=accuracy_m,
            commune=commune,
            direction=decision.direction,
            routing_rule=decision.rule,
            routing_reason=decision.reason,
            routing_explanation=decision.explanation,
            reporter=residents[0] if index % 7 == 0 else rng.choice(residents),
            anonymous=rng.random() < 0.15,
            is_public=category.is_public,
            answers=answers,
            source=Signalement.Source.DEMO,
        )
        workflow.state_load(signalement=report, status=status)
        reports.append(report)
        dates.append(now - timedelta(days=rng.uniform(0, 120), minutes=rng.randint(0, 600)))
    Signalement.objects.bulk_create(reports)
    for report, created_at in zip(reports, dates, strict=True):
        report.created_at = report.updated_at = created_at
    # bulk_update leaves auto_now alone, so the spread-out dates stick.
    Signalement.objects.bulk_update(reports, ["created_at", "updated_at"])
    _timelines(rng, reports)
    _supporters(rng, reports, residents)


def _timelines(rng: random.Random, reports: list[Signalement]) -> None:
    events: list[SignalementEvent] = []
    times: list = []
    for report in reports:
        if report.status in STATUS_PATH:
            path = STATUS_PATH[: STATUS_PATH.index(report.status) + 1]
        elif report.status == Status.REJECTED:
            path = [Status.NEW, Status.REJECTED]
        else:
            path = [Status.NEW, Status.ACKNOWLEDGED, Status.RESOLVED, Status.REOPENED]
        moment = report.created_at
        steps = []
        for status in path:
            steps.append((status, moment))
            events.append(
                SignalementEvent(
                    signalement=report,
                    kind=SignalementEvent.Kind.STATUS,
                    status=status,
                    message=STATUS_MESSAGES.get(status, ""),
                    author=report.reporter if status == Status.NEW else None,
                )
            )
            times.append(moment)
            moment = min(moment + timedelta(hours=rng.uniform(2, 96)), timezone.now())
        workflow.history_load(signalement=report, steps=steps)
    # The dates the timelines show, so that the figures' delays read as they would.
    Signalement.objects.bulk_update(reports, workflow.HISTORY_FIELDS)
    SignalementEvent.objects.bulk_create(events)
    for event, moment in zip(events, times, strict=True):
        event.created_at = moment
    SignalementEvent.objects.bulk_update(events, ["created_at"])


def _supporters(rng: random.Random, reports: list[Signalement], people: list[User]) -> None:
    follows = []
    for report in reports:
        others = [person for person in people if person.pk != report.reporter_id]
        for person in rng.sample(others, k=min(len(others), rng.choice([0, 0, 0, 1, 1, 2, 4]))):
            follows.append(Follow(signalement=report, user=person))
    Follow.objects.bulk_create(follows)


@transaction.atomic
def load() -> None:
    categories = _catalogue()
    _rules(categories)
    if not Signalement.objects.filter(source=Signalement.Source.DEMO).exists():
        _reports(categories)
