"""Demo consultations of Nîmes Métropole, a commune and the département (idempotent, fast).

Also the moderation charter and contributions: some pending, some flagged, some
answered, and a closed consultation with its restitution published.

It stays one file: it is data written in the order it is created, read from top to bottom.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from backend.models import Direction, Organisation, User
from contributions.models import (
    Actor,
    CharterReason,
    Consultation,
    Contribution,
    ContributionFlag,
    ContributionSupport,
    Document,
    Meeting,
    ModerationDecision,
    ModerationSettings,
    OfficialAnswer,
    Panel,
    Phase,
    Restitution,
    Theme,
)
from contributions.services.moderation import moderation_load
from geo.models import Commune

THEMES = [
    ("transports", "Mobilités et transports", "Mobility and transport"),
    ("eau", "Eau et assainissement", "Water and sanitation"),
    ("dechets", "Déchets et propreté", "Waste and cleanliness"),
    ("espaces-verts", "Nature et espaces verts", "Nature and green spaces"),
    ("urbanisme", "Urbanisme et habitat", "Town planning and housing"),
    ("environnement", "Climat et environnement", "Climate and environment"),
]


def _pdf(title: str) -> bytes:
    """A one-page PDF, enough for the app to show and download."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _consultation(
    slug: str,
    *,
    now: datetime,
    opens_in: int,
    lasts: int,
    themes: list[str],
    communes: list[str],
    **values: object,
) -> Consultation:
    opens_at = (now + timedelta(days=opens_in)).replace(hour=9, minute=0, second=0, microsecond=0)
    is_open_or_past = opens_in <= 0
    consultation, _ = Consultation.objects.update_or_create(
        slug=slug,
        defaults={
            "opens_at": opens_at,
            "closes_at": opens_at + timedelta(days=lasts),
            "is_published": True,
            "published_at": opens_at - timedelta(days=7),
            **values,
        },
    )
    if is_open_or_past and consultation.opening_alert_sent_at is None:
        # Demo consultations that are already open count as announced: loading the
        # demo must not alert every phone of the territory.
        Consultation.objects.filter(pk=consultation.pk).update(opening_alert_sent_at=opens_at)
    consultation.themes.set(Theme.objects.filter(slug__in=themes))
    consultation.communes.set(Commune.objects.filter(insee_code__in=communes))
    return consultation


def _phases(
    consultation: Consultation,
    phases: list[tuple[str, date, date | None, str]],
    english: dict[str, tuple[str, str]] | None = None,
) -> None:
    """Phases by French name; ``english`` gives the (name, description) of some in English."""
    english = english or {}
    for position, (name, starts_on, ends_on, description) in enumerate(phases):
        name_en, description_en = english.get(name, ("", ""))
        Phase.objects.update_or_create(
            consultation=consultation,
            name=name,
            defaults={
                "starts_on": starts_on,
                "ends_on": ends_on,
                "description": description,
                "position": position,
                "name_en": name_en,
                "description_en": description_en,
            },
        )


def _document(consultation: Consultation, title: str, title_en: str = "") -> None:
    if consultation.documents.filter(title=title).exists():
        consultation.documents.filter(title=title).update(title_en=title_en)
        return
    content = _pdf(title)
    Document.objects.create(
        consultation=consultation,
        title=title,
        title_en=title_en,
        file=ContentFile(content, name=f"{consultation.slug}.pdf"),
        size=len(content),
    )


@transaction.atomic
def load() -> None:
    now = timezone.now()
    today = timezone.localdate()
    for slug, name, name_en in THEMES:
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})
    agglomeration = Organisation.objects.get(slug="nimes-metropole")
    durable = Direction.objects.get(slug="nm-developpement-durable")
    transports = Direction.objects.get(slug="nm-transports")
    water = Direction.objects.get(slug="nm-eau")
    all_communes = list(Commune.objects.values_list("insee_code", flat=True))

    mobility = _consultation(
        "plan-de-mobilite-2035",
        now=now,
        opens_in=-10,
        lasts=50,
        themes=["transports", "environnement"],
        communes=all_communes,
        organisation=agglomeration,
        direction=transports,
        title="Plan de mobilité 2035 : comment vous déplacerez-vous demain ?",
        summary="Bus, tram, vélo, covoiturage : donnez votre avis sur les priorités du plan "
        "de mobilité de l'agglomération.",
        body="<p>Nîmes Métropole prépare son <strong>plan de mobilité</strong> à l'horizon "
        "2035. Partagez vos trajets, vos difficultés et vos idées.</p>",
        title_en="Mobility plan 2035: how will you get around tomorrow?",
        summary_en="Bus, tram, bike, car-sharing: give your view on the priorities of the "
        "conurbation's mobility plan.",
        body_en="<p>Nîmes Métropole is preparing its <strong>mobility plan</strong> for 2035. "
        "Share your journeys, your difficulties and your ideas.</p>",
        kind=Consultation.Kind.VOLUNTARY,
        legal_basis="",
        comments_allowed=True,
        contributions_allowed=True,
        moderation_mode=Consultation.Moderation.A_POSTERIORI,
    )
    _phases(
        mobility,
        [
            ("Diagnostic partagé", today - timedelta(days=10), today + timedelta(days=20), ""),
            (
                "Ateliers de propositions",
                today + timedelta(days=21),
                today + timedelta(days=40),
                "",
            ),
            ("Restitution", today + timedelta(days=60), None, "Synthèse publiée sur le site."),
        ],
        english={
            "Diagnostic partagé": ("Shared diagnosis", ""),
            "Ateliers de propositions": ("Proposal workshops", ""),
            "Restitution": ("Results", "A summary published on the website."),
        },
    )
    start = (now + timedelta(days=7)).replace(hour=18, minute=30, second=0, microsecond=0)
    Meeting.objects.update_or_create(
        consultation=mobility,
        title="Réunion publique de lancement",
        defaults={
            "title_en": "Public launch meeting",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "place_name": "Hôtel de l'agglomération",
            "address": "3 rue du Colisée, 30000 Nîmes",
            "location": Point(4.3601, 43.8345, srid=4326),
            "registration": Meeting.Registration.PLATFORM,
            "capacity": 120,
        },
    )
    Meeting.objects.update_or_create(
        consultation=mobility,
        title="Atelier en ligne : le vélo au quotidien",
        defaults={
            "title_en": "Online workshop: cycling every day",
            "starts_at": start + timedelta(days=14),
            "ends_at": start + timedelta(days=14, hours=1, minutes=30),
            "online_url": "https://visio.example.org/atelier-velo",
            "registration": Meeting.Registration.EXTERNAL,
            "registration_url": "https://inscriptions.example.org/atelier-velo",
        },
    )
    _document(
        mobility,
        "Dossier de présentation du plan de mobilité",
        title_en="Presentation file of the mobility plan",
    )

    water_plan = _consultation(
        "zonage-assainissement-pluvial",
        now=now,
        opens_in=-3,
        lasts=33,
        themes=["eau", "urbanisme"],
        communes=all_communes,
        organisation=agglomeration,
        direction=water,
        title="Zonage d'assainissement des eaux pluviales",
        summary="Enquête publique sur le zonage pluvial des 39 communes.",
        body="<p>Le dossier d'enquête publique et le registre sont consultables en ligne.</p>",
        kind=Consultation.Kind.REGULATORY,
        legal_basis=Consultation.LegalBasis.PUBLIC_INQUIRY,
        comments_allowed=False,
        contributions_allowed=True,
        moderation_mode=Consultation.Moderation.A_PRIORI,
    )
    start = (now + timedelta(days=5)).replace(hour=14, minute=0, second=0, microsecond=0)
    Meeting.objects.update_or_create(
        consultation=water_plan,
        title="Permanence du commissaire enquêteur",
        defaults={
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "place_name": "Mairie de Caissargues",
            "address": "Place de la Mairie, 30132 Caissargues",
            "registration": Meeting.Registration.PLATFORM,
            "capacity": 12,
        },
    )
    _document(water_plan, "Dossier d'enquête publique")

    _consultation(
        "budget-participatif-climat",
        now=now,
        opens_in=12,
        lasts=45,
        themes=["environnement", "espaces-verts"],
        communes=all_communes,
        organisation=agglomeration,
        direction=durable,
        title="Budget participatif climat",
        summary="Proposez des projets pour adapter le territoire au changement climatique.",
        kind=Consultation.Kind.VOLUNTARY,
        comments_allowed=True,
        moderation_mode=Consultation.Moderation.A_POSTERIORI,
    )
    _consultation(
        "schema-collecte-dechets",
        now=now,
        opens_in=-200,
        lasts=60,
        themes=["dechets"],
        communes=all_communes,
        organisation=agglomeration,
        direction=Direction.objects.get(slug="nm-dechets"),
        title="Nouveau schéma de collecte des déchets",
        summary="Fréquences de collecte, bacs jaunes et points d'apport volontaire.",
        kind=Consultation.Kind.VOLUNTARY,
    )
    _consultation(
        "concertation-prealable-tram-ligne-2",
        now=now,
        opens_in=-400,
        lasts=45,
        themes=["transports", "urbanisme"],
        communes=["30189", "30060"],
        organisation=agglomeration,
        direction=transports,
        title="Concertation préalable : ligne 2 du tram-bus",
        summary="Tracé et stations de la ligne 2 entre Nîmes et Caissargues.",
        kind=Consultation.Kind.REGULATORY,
        legal_basis=Consultation.LegalBasis.PRIOR_CONSULTATION,
    )
    caveirac = Organisation.objects.filter(slug="commune-30075").first()
    if caveirac is not None:
        plu = _consultation(
            "revision-plu-caveirac",
            now=now,
            opens_in=-5,
            lasts=40,
            themes=["urbanisme"],
            communes=["30075"],
            organisation=caveirac,
            direction=caveirac.directions.first(),
            title="Révision du plan local d'urbanisme de Caveirac",
            summary="Concertation sur le projet d'aménagement et de développement durables.",
            kind=Consultation.Kind.REGULATORY,
            legal_basis=Consultation.LegalBasis.PLU,
            moderation_mode=Consultation.Moderation.A_PRIORI,
        )
        _document(plu, "Projet d'aménagement et de développement durables (PADD)")
    _consultation(
        "schema-departemental-velo",
        now=now,
        opens_in=-15,
        lasts=60,
        themes=["transports"],
        communes=all_communes,
        organisation=Organisation.objects.get(slug="departement-du-gard"),
        title="Schéma départemental des véloroutes",
        summary="Le Département du Gard consulte sur ses itinéraires cyclables.",
        kind=Consultation.Kind.VOLUNTARY,
        external_url="https://www.gard.fr/participer/schema-velo",
        source="https://www.gard.fr",
        source_id="demo-schema-velo",
        contributions_allowed=False,
        comments_allowed=False,
    )

    owner = User.objects.get(email="citoyen@demo.test")
    actors = [
        ("Vélo Nîmes Agglo", Actor.Kind.ASSOCIATION, ["transports"], ["30189"], ""),
        ("Jardins de Caveirac", Actor.Kind.COLLECTIVE, ["espaces-verts"], ["30075"], ""),
        ("CCI du Gard", Actor.Kind.INSTITUTION, ["urbanisme"], [], "https://example.org"),
    ]
    for name, kind, themes, communes, website in actors:
        actor, created = Actor.objects.get_or_create(
            name=name,
            defaults={
                "owner": owner,
                "kind": kind,
                "website": website,
                "contact_email": f"contact+{kind}@demo.test",
                "email_consent": True,
                "validated_at": now,
            },
        )
        if created:
            actor.themes.set(Theme.objects.filter(slug__in=themes))
            actor.communes.set(Commune.objects.filter(insee_code__in=communes))

    load_contributions(now=now)
    # The citizen panel, before its pool is imported (the pool is personal data: none ships).
    Panel.objects.update_or_create(
        slug="panel-citoyen-2027",
        defaults={
            "organisation": agglomeration,
            "title": "Panel citoyen 2027",
            "purpose": "Une centaine d'habitantes et d'habitants tirés au sort sur les listes "
            "électorales donnent leur avis sur les grands projets de l'agglomération.",
            "size": 100,
            "invitations": 2000,
            "criteria": demo_panel_criteria(),
        },
    )


def demo_panel_criteria() -> list[dict[str, object]]:
    """Sex and age band (compared with the electoral lists), Nîmes or the other communes,
    and one criterion of the authority's own."""
    others = list(
        Commune.objects.exclude(insee_code=NIMES_INSEE)
        .order_by("insee_code")
        .values_list("insee_code", flat=True)
    )
    bands = ("18-29", "30-44", "45-59", "60-74", "75+")
    return [
        {
            "key": "sexe",
            "label": "Sexe",
            "values": [{"value": "F", "label": "Femme"}, {"value": "M", "label": "Homme"}],
        },
        {"key": "age", "label": "Âge", "values": [{"value": b, "label": b} for b in bands]},
        {
            "key": "secteur",
            "label": "Secteur",
            "values": [
                {"value": "Nîmes", "label": "Nîmes", "communes": [NIMES_INSEE]},
                {"value": "Autres communes", "label": "Autres communes", "communes": others},
            ],
        },
        {
            "key": "logement",
            "label": "Logement",
            "values": [
                {"value": "propriétaire", "label": "Propriétaire"},
                {"value": "locataire", "label": "Locataire ou autre"},
            ],
        },
    ]


NIMES_INSEE = "30189"

CHARTER = [
    ("hors-sujet", "Hors sujet", "Art. 3.1"),
    ("injurieux", "Propos injurieux ou discriminatoires", "Art. 3.2"),
    ("donnees-personnelles", "Données personnelles", "Art. 3.3"),
    ("publicite", "Publicité ou propagande", "Art. 3.4"),
    ("spam", "Spam ou messages répétés", "Art. 3.5"),
    ("diffamation", "Diffamation", "Art. 3.6"),
]

RESIDENTS = [
    ("lea.habitante@demo.test", "Léa", "Bonnet"),
    ("marc.habitant@demo.test", "Marc", "Aubert"),
    ("ines.habitante@demo.test", "Inès", "Chabert"),
]


def _resident(email: str, first_name: str, last_name: str) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        # Authors of demo contributions only: nobody logs in as them (and no slow hashing).
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _contribution(
    consultation: Consultation, author: User, body: str, *, state: str, when: datetime, **values
) -> Contribution:
    existing = Contribution.objects.filter(
        consultation=consultation, author=author, body=body
    ).first()
    if existing is not None:
        return existing
    return moderation_load(
        consultation=consultation, author=author, body=body, state=state, created_at=when, **values
    )


def load_contributions(*, now: datetime) -> None:
    """Written straight to the tables: loading the demo notifies nobody."""
    agglomeration = Organisation.objects.get(slug="nimes-metropole")
    for position, (code, label, article) in enumerate(CHARTER):
        CharterReason.objects.update_or_create(
            organisation=agglomeration,
            code=code,
            defaults={"label": label, "article": article, "position": position},
        )
    ModerationSettings.objects.get_or_create(organisation=agglomeration)
    citizen = User.objects.get(email="citoyen@demo.test")
    lea, marc, ines = (_resident(*resident) for resident in RESIDENTS)
    day = timedelta(days=1)

    mobility = Consultation.objects.get(slug="plan-de-mobilite-2035")
    idea = _contribution(
        mobility,
        lea,
        "Un bus toutes les 10 minutes entre la gare et le CHU aux heures de pointe.",
        state=Contribution.State.PUBLISHED,
        kind=Contribution.Kind.IDEA,
        theme=Theme.objects.get(slug="transports"),
        when=now - 8 * day,
    )
    _contribution(
        mobility,
        citizen,
        "Oui, et des abris vélos sécurisés à chaque arrêt principal.",
        state=Contribution.State.PUBLISHED,
        kind=Contribution.Kind.COMMENT,
        parent=idea,
        depth=1,
        when=now - 7 * day,
    )
    for supporter in (citizen, marc):
        ContributionSupport.objects.get_or_create(contribution=idea, user=supporter)
    OfficialAnswer.objects.get_or_create(
        contribution=idea,
        defaults={
            "status": OfficialAnswer.Status.UNDER_STUDY,
            "body": "Le renforcement de la ligne est étudié dans le scénario 2 du plan.",
            "direction": mobility.direction,
        },
    )
    _contribution(
        mobility,
        marc,
        "Pourquoi la piste cyclable de l'avenue Jean-Jaurès s'arrête-t-elle avant la gare ?",
        state=Contribution.State.PUBLISHED,
        kind=Contribution.Kind.QUESTION,
        when=now - 6 * day,
    )
    flagged = _contribution(
        mobility,
        ines,
        "Venez tous acheter vos vélos chez CycloPromo, -50 % ce week-end !",
        state=Contribution.State.HIDDEN,
        kind=Contribution.Kind.IDEA,
        flagged_at=now - 2 * day,
        when=now - 4 * day,
    )
    advertising = CharterReason.objects.get(organisation=agglomeration, code="publicite")
    for reporter in (citizen, lea, marc):
        ContributionFlag.objects.get_or_create(
            contribution=flagged, user=reporter, defaults={"reason": advertising}
        )
    if not flagged.decisions.exists():
        ModerationDecision.objects.create(
            organisation=agglomeration,
            contribution=flagged,
            action=ModerationDecision.Action.AUTO_HIDE,
            from_state=Contribution.State.PUBLISHED,
            to_state=Contribution.State.HIDDEN,
            created_at=now - 2 * day,
        )

    water_plan = Consultation.objects.get(slug="zonage-assainissement-pluvial")
    _contribution(
        water_plan,
        citizen,
        "Le quartier du Mas de Mingue est inondé à chaque orage : le zonage doit en tenir compte.",
        state=Contribution.State.PENDING,
        kind=Contribution.Kind.IDEA,
        when=now - 2 * day,
    )
    _contribution(
        water_plan,
        lea,
        "Les bassins de rétention seront-ils accessibles au public ?",
        state=Contribution.State.PENDING,
        kind=Contribution.Kind.QUESTION,
        when=now - day,
    )

    tram = Consultation.objects.get(slug="concertation-prealable-tram-ligne-2")
    station = _contribution(
        tram,
        citizen,
        "Une station au niveau du collège de Caissargues serait très utile.",
        state=Contribution.State.PUBLISHED,
        kind=Contribution.Kind.IDEA,
        when=tram.closes_at - 10 * day,
    )
    OfficialAnswer.objects.get_or_create(
        contribution=station,
        defaults={
            "status": OfficialAnswer.Status.RETAINED,
            "body": "La station « Collège » est ajoutée au tracé retenu.",
            "direction": tram.direction,
        },
    )
    ContributionSupport.objects.get_or_create(contribution=station, user=lea)
    restitution, created = Restitution.objects.get_or_create(
        consultation=tram,
        defaults={
            "body": "<p>La concertation a réuni de nombreux habitants ; le tracé retenu intègre "
            "une station supplémentaire à Caissargues.</p>",
            "visibility": Restitution.Visibility.PUBLIC,
            "published_at": tram.closes_at + 20 * day,
        },
    )
    if tram.restitution_published_at is None:
        Consultation.objects.filter(pk=tram.pk).update(
            restitution_published_at=restitution.published_at
        )
