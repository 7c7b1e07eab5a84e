"""The citizen panel: its pool from the electoral lists, the invitations, the volunteers,
the stratified selection and the panel's life (members leaving, replaced from the reserve)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.errors import Conflict
from backend.models import User
from contributions import sortition
from contributions.models import Panel, PanelVolunteer, PoolPerson
from contributions.selectors.panel import panel_volunteers_text
from geo.models import Commune
from push import services as push
from push.models import Kind
from push.texts import bilingual

# The columns of an extract of the electoral lists, by their usual French names (compared
# without accents, case, hyphens or underscores).
POOL_COLUMNS = {
    "nom": "last_name",
    "nom de naissance": "last_name",
    "nom d usage": "last_name",
    "prenoms": "first_names",
    "prenom": "first_names",
    "sexe": "sex",
    "date de naissance": "birth_date",
    "adresse": "address",
    "code postal": "postcode",
    "commune": "commune",
    "ville": "commune",
}
SEXES = {"f": "F", "feminin": "F", "femme": "F", "m": "M", "masculin": "M", "homme": "M"}
ADULT_AGE = 18
# Letters are sent on paper: codes without 0/O or 1/I/L, typed by hand on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_POOL_BYTES = 64 * 1024 * 1024


def _plain(text: str) -> str:
    """Lower case, no accents, hyphens, apostrophes or underscores: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    for mark in "-_'’":
        bare = bare.replace(mark, " ")
    return " ".join(bare.split())


@dataclass
class PoolImport:
    """What an import kept and what it refused, row by row (lines count the header as 1)."""

    imported: int = 0
    rejected: list[dict[str, object]] = field(default_factory=list)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _birth_date(value: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _check_row(
    row: dict[str, str], communes: dict[str, Commune], today: date
) -> tuple[dict[str, object] | None, list[tuple[str, str]]]:
    """The person of one row, or the fields refused with their rule."""
    errors: list[tuple[str, str]] = []
    values = {name: " ".join(str(row.get(name) or "").split()) for name in sortition.POOL_FIELDS}
    controlled = {
        name
        for name, value in values.items()
        if any(ord(char) < 32 or ord(char) == 127 for char in value)
    }
    errors.extend((name, _("This cell holds a control character.")) for name in controlled)
    values.update(dict.fromkeys(controlled, ""))
    for name, limit in (("last_name", 200), ("first_names", 200), ("address", 300)):
        if name in controlled:
            continue
        if not values[name]:
            errors.append((name, _("This column is empty.")))
        elif len(values[name]) > limit:
            errors.append((name, _("At most %(limit)d characters.") % {"limit": limit}))
    sex = SEXES.get(_plain(values["sex"]))
    if sex is None:
        errors.append(("sex", _("Give F or M.")))
    born = _birth_date(values["birth_date"])
    if born is None:
        errors.append(("birth_date", _("Give the date as DD/MM/YYYY.")))
    elif not ADULT_AGE <= _age(born, today) <= 120:
        errors.append(("birth_date", _("An elector is %(age)d or older.") % {"age": ADULT_AGE}))
    postcode = values["postcode"]
    well_formed = len(postcode) == 5 and postcode.isascii() and postcode.isdigit()
    if not well_formed:
        errors.append(("postcode", _("A postcode has five digits.")))
    commune = communes.get(_plain(values["commune"]))
    if commune is None:
        errors.append(("commune", _("This commune is not one of the territory's.")))
    elif well_formed and commune.postcodes and postcode not in commune.postcodes:
        errors.append(("postcode", _("This postcode is not the commune's.")))
    if errors:
        return None, errors
    return {**values, "sex": sex, "birth_date": born, "commune": commune}, []


@transaction.atomic
def panel_pool_import(*, panel: Panel, data: bytes) -> PoolImport:
    """Replace the pool of a panel by the valid rows of a CSV extract of the electoral lists.

    Every row is checked; refused rows are reported (line, column, rule) and left out, the
    others numbered in file order. A file with a missing column or no valid row changes
    nothing. Only before the invitations are drawn: the pool's hash is then public.
    """
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.stage != Panel.Stage.POOL:
        raise Conflict(_("The invitations are drawn: the pool can no longer change."))
    if len(data) > MAX_POOL_BYTES:
        raise ValidationError({"file": [_("The file is larger than 64 MB.")]})
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        # Read whole before checking: a NUL byte or an endless cell stops the csv module.
        header, *body = list(csv.reader(io.StringIO(text), delimiter=delimiter)) or [[]]
    except csv.Error:
        raise ValidationError({"file": [_("This file is not a readable CSV file.")]}) from None
    columns = {index: POOL_COLUMNS.get(_plain(name)) for index, name in enumerate(header)}
    missing = [name for name in sortition.POOL_FIELDS if name not in columns.values()]
    if missing:
        raise ValidationError(
            {
                "file": [
                    _("Missing columns: %(columns)s (expected: %(expected)s).")
                    % {
                        "columns": ", ".join(missing),
                        "expected": "nom, prénoms, sexe, date de naissance, adresse, "
                        "code postal, commune",
                    }
                ]
            }
        )
    communes = {_plain(c.name): c for c in Commune.objects.without_boundaries()}
    today = timezone.localdate()
    result = PoolImport()
    people: list[PoolPerson] = []
    lines: list[str] = []
    for line, cells in enumerate(body, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row: dict[str, str] = {}
        for index, cell in enumerate(cells):
            if (name := columns.get(index)) and not row.get(name):
                row[name] = cell
        person, errors = _check_row(row, communes, today)
        if person is None:
            result.rejected.extend(
                {"line": line, "field": name, "message": message} for name, message in errors
            )
            continue
        number = len(people) + 1
        people.append(PoolPerson(panel=panel, number=number, **person))
        lines.append(
            sortition.canonical_line(
                [
                    person["last_name"],
                    person["first_names"],
                    person["sex"],
                    person["birth_date"].isoformat(),
                    person["address"],
                    person["postcode"],
                    person["commune"].name,
                ]
            )
        )
    if not people:
        raise ValidationError({"file": [_("No row of the file could be imported.")]})
    PoolPerson.objects.filter(panel=panel).delete()
    PoolPerson.objects.bulk_create(people, batch_size=2000)
    panel.pool_size = len(people)
    panel.pool_hash = sortition.pool_hash(lines)
    panel.pool_imported_at = timezone.now()
    panel.save(update_fields=["pool_size", "pool_hash", "pool_imported_at"])
    result.imported = len(people)
    return result


def _invitation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def panel_draw_invitations(*, panel: Panel, seed: str) -> Panel:
    """Stage 1: invite ``panel.invitations`` people of the pool, drawn from the seed
    announced in public and the pool's hash (``contributions.sortition``), and give each a
    code for their letter. Drawn once: the seed and the numbers join the public record."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    seed = seed.strip()
    if panel.stage != Panel.Stage.POOL:
        raise Conflict(_("The invitations are already drawn."))
    if not panel.pool_size:
        raise ValidationError({"seed": [_("Import the pool before drawing.")]})
    if not seed:
        raise ValidationError({"seed": [_("Give the seed announced before the draw.")]})
    numbers = sortition.draw_invitations(
        seed=seed,
        pool_digest=panel.pool_hash,
        pool_size=panel.pool_size,
        count=min(panel.invitations, panel.pool_size),
    )
    invited = PoolPerson.objects.filter(panel=panel, number__in=numbers)
    codes: set[str] = set()
    people = list(invited)
    for person in people:
        while (code := _invitation_code()) in codes:
            continue
        codes.add(code)
        person.invitation_code = code
    PoolPerson.objects.bulk_update(people, ["invitation_code"], batch_size=2000)
    panel.invitation_seed = seed
    panel.invited_numbers = numbers
    panel.invited_at = timezone.now()
    panel.stage = Panel.Stage.INVITED
    panel.save(update_fields=["invitation_seed", "invited_numbers", "invited_at", "stage"])
    return panel


# Stage 2 runs in a task (contributions.tasks imports these services, so they name it).
SELECT_PANEL_TASK = "contributions.tasks.select_panel"
MAX_CRITERIA = 8
MAX_VALUES = 60
AGE_BAND = re.compile(r"^(\d{2,3})(?:-(\d{2,3})|\+)$")


def _criteria_errors(criteria: object) -> list[str]:
    if not isinstance(criteria, list) or not 1 <= len(criteria) <= MAX_CRITERIA:
        return [_("Give from 1 to %(count)d criteria.") % {"count": MAX_CRITERIA}]
    errors: list[str] = []
    keys: set[str] = set()
    for index, criterion in enumerate(criteria, start=1):
        values = criterion.get("values") if isinstance(criterion, dict) else None
        key = criterion.get("key") if isinstance(criterion, dict) else None
        if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", key):
            errors.append(
                _("Criterion %(index)d: its key is 1 to 30 lower-case letters, digits or _.")
                % {"index": index}
            )
            continue
        if key in keys:
            errors.append(_("Criterion %(key)s is given twice.") % {"key": key})
        keys.add(key)
        if not isinstance(criterion.get("label", ""), str) or not isinstance(values, list):
            errors.append(_("Criterion %(key)s: give a label and a list of values.") % {"key": key})
            continue
        names = [value.get("value") if isinstance(value, dict) else None for value in values]
        if not 2 <= len(names) <= MAX_VALUES or not all(
            isinstance(name, str) and 0 < len(name.strip()) <= 60 and ";" not in name
            for name in names
        ):
            errors.append(
                _("Criterion %(key)s: 2 to %(count)d values, each 1 to 60 characters without ;.")
                % {"key": key, "count": MAX_VALUES}
            )
        elif len(set(names)) != len(names):
            errors.append(_("Criterion %(key)s: a value is given twice.") % {"key": key})
    return errors


@transaction.atomic
def panel_set_criteria(*, panel: Panel, criteria: list[dict[str, object]]) -> Panel:
    """The criteria volunteers declare and quotas apply to, until the first one registers."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.volunteers.exists() or panel.stage not in (Panel.Stage.POOL, Panel.Stage.INVITED):
        raise Conflict(_("Volunteers have registered: the criteria can no longer change."))
    errors = _criteria_errors(criteria)
    if errors:
        raise ValidationError({"criteria": errors})
    panel.criteria = [
        {
            "key": criterion["key"],
            "label": str(criterion.get("label") or criterion["key"]),
            "values": [
                {
                    "value": value["value"].strip(),
                    "label": str(value.get("label") or value["value"]).strip(),
                    **(
                        {"communes": [str(code) for code in value["communes"]]}
                        if isinstance(value.get("communes"), list)
                        else {}
                    ),
                }
                for value in criterion["values"]
            ],
        }
        for criterion in criteria
    ]
    panel.save(update_fields=["criteria"])
    return panel


def normalise_code(code: str) -> str:
    """A code as typed from a letter: case, spaces and hyphens do not matter."""
    return "".join(char for char in code.upper() if char.isalnum())


def _answers_errors(panel: Panel, answers: object) -> dict[str, list[str]]:
    if not isinstance(answers, dict):
        return {"answers": [_("Give one answer per criterion.")]}
    errors: dict[str, list[str]] = {}
    for key, values in panel.criterion_values().items():
        if answers.get(key) not in values:
            errors[f"answers.{key}"] = [
                _("Choose one of: %(values)s.") % {"values": ", ".join(values)}
            ]
    unknown = set(answers) - set(panel.criterion_values())
    if unknown:
        errors["answers"] = [
            _("Unknown criteria: %(keys)s.") % {"keys": ", ".join(sorted(map(str, unknown)))}
        ]
    return errors


@transaction.atomic
def panel_volunteer_register(
    *,
    panel: Panel,
    code: str,
    answers: dict[str, str],
    user: User | None,
    email: str = "",
) -> PanelVolunteer:
    """Someone invited answers their letter: their code and the criteria they declare.

    ``user`` is their account (``None`` when the officer enters a reply sent by post). Name
    and address are copied from their row of the pool: they answered, the pool will go.
    """
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.stage != Panel.Stage.INVITED:
        raise Conflict(_("This panel does not take volunteers now."))
    if not panel.criteria:
        raise Conflict(_("The criteria of this panel are not set yet."))
    code = normalise_code(code)
    person = (
        PoolPerson.objects.filter(panel=panel, invitation_code=code)
        .exclude(invitation_code="")
        .select_related("commune")
        .first()
    )
    errors = _answers_errors(panel, answers)
    if person is None:
        errors["code"] = [_("This code is not one of this panel's letters.")]
    elif panel.volunteers.filter(invitation_code=code).exists():
        errors["code"] = [_("This code has already been used.")]
    if user is not None and panel.volunteers.filter(user=user).exists():
        errors["code"] = [_("You have already registered for this panel.")]
    if errors:
        raise ValidationError(errors)
    number = (
        panel.volunteers.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    return PanelVolunteer.objects.create(
        panel=panel,
        number=number,
        user=user,
        invitation_code=code,
        last_name=person.last_name,
        first_names=person.first_names,
        address=person.address,
        postcode=person.postcode,
        commune_name=person.commune.name,
        email=email or (user.email if user else ""),
        answers={key: answers[key] for key in panel.criterion_values()},
    )


def _quota_errors(
    panel: Panel, quotas: list[dict[str, object]], counts: dict[tuple[str, str], int]
) -> list[str]:
    """What makes quotas impossible on their face, criterion by criterion."""
    errors: list[str] = []
    criteria = panel.criterion_values()
    given = {(str(quota["criterion"]), str(quota["value"])) for quota in quotas}
    for key, values in criteria.items():
        missing = [value for value in values if (key, value) not in given]
        if missing:
            errors.append(
                _("Criterion %(key)s: give a quota for %(values)s.")
                % {"key": key, "values": ", ".join(missing)}
            )
    for quota in quotas:
        key, value = str(quota["criterion"]), str(quota["value"])
        low, high = int(quota["min"]), int(quota["max"])
        if value not in criteria.get(key, []):
            errors.append(
                _("%(key)s = %(value)s is not a value of the criteria.") % quota_label(quota)
            )
        elif low > high:
            errors.append(
                _("%(key)s = %(value)s: the minimum is above the maximum.") % quota_label(quota)
            )
        elif low > counts.get((key, value), 0):
            errors.append(
                _("%(key)s = %(value)s: at least %(min)d asked, but only %(count)d volunteers.")
                % {**quota_label(quota), "min": low, "count": counts.get((key, value), 0)}
            )
    for key in criteria:
        mine = [q for q in quotas if q["criterion"] == key]
        low = sum(int(q["min"]) for q in mine)
        high = sum(int(q["max"]) for q in mine)
        if mine and not low <= panel.size <= high:
            errors.append(
                _(
                    "Criterion %(key)s: its minimums add up to %(low)d and its maximums to "
                    "%(high)d, the panel has %(size)d members."
                )
                % {"key": key, "low": low, "high": high, "size": panel.size}
            )
    return errors


def quota_label(quota: dict[str, object]) -> dict[str, object]:
    return {"key": quota["criterion"], "value": quota["value"]}


@transaction.atomic
def panel_selection_start(*, panel: Panel, seed: str, quotas: list[dict[str, object]]) -> Panel:
    """Stage 2 asked: check the quotas against the volunteers, then select in a task."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    seed = seed.strip()
    if panel.stage == Panel.Stage.SELECTING:
        raise Conflict(_("The selection is already running."))
    if panel.stage != Panel.Stage.INVITED:
        raise Conflict(_("The selection follows the invitations, once."))
    volunteers = list(panel.volunteers.values_list("answers", flat=True))
    if not seed:
        raise ValidationError({"seed": [_("Give the seed announced before the draw.")]})
    if len(volunteers) <= panel.size:
        raise ValidationError(
            {
                "quotas": [
                    _("%(count)d volunteers for %(size)d seats: there is nothing to draw.")
                    % {"count": len(volunteers), "size": panel.size}
                ]
            }
        )
    counts = Counter((key, value) for answers in volunteers for key, value in answers.items())
    errors = _quota_errors(panel, quotas, counts)
    if errors:
        raise ValidationError({"quotas": errors})
    panel.selection_seed = seed
    panel.selection_quotas = [
        {
            "criterion": str(q["criterion"]),
            "value": str(q["value"]),
            "min": int(q["min"]),
            "max": int(q["max"]),
        }
        for q in quotas
    ]
    panel.selection_progress = _("Waiting for a worker.")
    panel.selection_problems = []
    panel.stage = Panel.Stage.SELECTING
    panel.save(
        update_fields=[
            "selection_seed",
            "selection_quotas",
            "selection_progress",
            "selection_problems",
            "stage",
        ]
    )
    panel_id = panel.pk
    transaction.on_commit(lambda: import_string(SELECT_PANEL_TASK).enqueue(panel_id=panel_id))
    return panel


def _run_selection(panel: Panel, folder: str) -> dict[str, object]:
    """The published command, run in a child process (fixed hashing, its own memory)."""
    volunteers_file = os.path.join(folder, "volontaires.csv")
    quotas_file = os.path.join(folder, "quotas.csv")
    with open(volunteers_file, "w", encoding="utf-8") as file:
        file.write(panel_volunteers_text(panel=panel))
    with open(quotas_file, "w", encoding="utf-8") as file:
        file.write(sortition.quotas_text(panel.selection_quotas))
    command = [
        sys.executable,
        "-m",
        "contributions.sortition",
        "panel",
        "--volunteers",
        volunteers_file,
        "--quotas",
        quotas_file,
        "--size",
        str(panel.size),
        "--seed",
        panel.selection_seed,
        "--json",
    ]
    answer_file = os.path.join(folder, "answer.json")
    started = time.monotonic()
    shown = 0.0
    with open(answer_file, "w") as answer:
        child = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            stdout=answer,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stderr is not None
        for line in child.stderr:
            if line.startswith("progress: ") and time.monotonic() - shown > 1:
                shown = time.monotonic()
                Panel.objects.filter(pk=panel.pk).update(
                    selection_progress=line.removeprefix("progress: ").strip()[:300]
                )
        child.wait()
    with open(answer_file) as answer:
        text = answer.read()
    try:
        result = json.loads(text)
    except ValueError:
        result = {"failed": text[-300:] or f"exit status {child.returncode}"}
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def panel_selection_run(*, panel_id: int) -> Panel:
    """The task: run stage 2 and constitute the panel, or say why it cannot be."""
    panel = Panel.objects.get(pk=panel_id)
    if panel.stage != Panel.Stage.SELECTING:
        return panel
    with tempfile.TemporaryDirectory() as folder:
        result = _run_selection(panel, folder)
    if "selected" not in result:
        problems = result.get("infeasible") or [
            {"error": result.get("failed") or "no quota could be relaxed"}
        ]
        Panel.objects.filter(pk=panel.pk, stage=Panel.Stage.SELECTING).update(
            stage=Panel.Stage.INVITED, selection_problems=problems, selection_progress=""
        )
        panel.refresh_from_db()
        return panel
    return _constitute(panel, result)


def _population_test(key: str, value: dict[str, object]) -> object:
    """How to tell a person of the pool has this value, when the electoral lists can."""
    name = str(value["value"])
    band = AGE_BAND.match(name)
    if key == "sexe" and name in ("F", "M"):
        return ("sex", name)
    if key == "age" and band:
        return ("age", int(band[1]), int(band[2] or 200))
    if value.get("communes"):
        return ("communes", set(value["communes"]))
    return None


def _population(panel: Panel) -> dict[tuple[str, str], int]:
    """The pool's count of each criterion value it can tell: sex, age band, communes."""
    today = timezone.localdate()
    people = list(
        PoolPerson.objects.filter(panel=panel).values_list(
            "sex", "birth_date", "commune__insee_code"
        )
    )
    counts: dict[tuple[str, str], int] = {}
    for criterion in panel.criteria:
        for value in criterion["values"]:
            test = _population_test(criterion["key"], value)
            if test is None:
                continue
            if test[0] == "sex":
                count = sum(1 for sex, _born, _code in people if sex == test[1])
            elif test[0] == "age":
                count = sum(
                    1 for _sex, born, _code in people if test[1] <= _age(born, today) <= test[2]
                )
            else:
                count = sum(1 for _sex, _born, code in people if code in test[1])
            counts[(criterion["key"], value["value"])] = count
    return counts


def _probability_summary(probabilities: dict[str, float]) -> dict[str, object]:
    chances = sorted(probabilities.values())
    tenths = Counter(min(int(chance * 10), 9) for chance in chances)
    return {
        "min": round(chances[0], 4),
        "mean": round(sum(chances) / len(chances), 4),
        "max": round(chances[-1], 4),
        "distribution": [
            {"from": index / 10, "to": (index + 1) / 10, "volunteers": tenths.get(index, 0)}
            for index in range(10)
        ],
    }


def _composition(panel: Panel, population: dict[tuple[str, str], int]) -> list[dict[str, object]]:
    seats = Counter(
        (key, value)
        for answers in panel.volunteers.filter(status=PanelVolunteer.Status.MEMBER).values_list(
            "answers", flat=True
        )
        for key, value in answers.items()
    )
    volunteers = Counter(
        (key, value)
        for answers in panel.volunteers.values_list("answers", flat=True)
        for key, value in answers.items()
    )
    quotas = {(q["criterion"], q["value"]): q for q in panel.selection_quotas}
    rows = []
    for criterion in panel.criteria:
        for value in criterion["values"]:
            pair = (criterion["key"], value["value"])
            rows.append(
                {
                    "criterion": criterion["key"],
                    "value": value["value"],
                    "label": value["label"],
                    "min": quotas[pair]["min"],
                    "max": quotas[pair]["max"],
                    "panel": seats.get(pair, 0),
                    "volunteers": volunteers.get(pair, 0),
                    "population": population.get(pair),
                }
            )
    return rows


@transaction.atomic
def _constitute(panel: Panel, result: dict[str, object]) -> Panel:
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    selected = [int(number) for number in result["selected"]]
    reserve = [int(number) for number in result["reserve"]]
    panel.volunteers.filter(number__in=selected).update(status=PanelVolunteer.Status.MEMBER)
    by_number = {v.number: v for v in panel.volunteers.filter(number__in=reserve)}
    for rank, number in enumerate(reserve, start=1):
        by_number[number].status = PanelVolunteer.Status.RESERVE
        by_number[number].reserve_rank = rank
    PanelVolunteer.objects.bulk_update(
        by_number.values(), ["status", "reserve_rank"], batch_size=1000
    )
    population = _population(panel)
    pool_size = panel.pool_size
    panel.record = {
        "seed": panel.selection_seed,
        "volunteers": panel.volunteers.count(),
        "volunteers_hash": result["volunteers_hash"],
        "algorithm": result["algorithm"],
        "solver": result["solver"],
        "library": f"{result['library']} {result['version']}",
        "seconds": result["seconds"],
        "selected": selected,
        "reserve": reserve,
        "probabilities": _probability_summary(result["probabilities"]),
        "population_size": pool_size,
        "composition": _composition(panel, population),
        "replacements": [],
    }
    # The documented retention: the pool (people who did not sign up) goes at constitution.
    PoolPerson.objects.filter(panel=panel).delete()
    panel.stage = Panel.Stage.CONSTITUTED
    panel.constituted_at = timezone.now()
    panel.selection_progress = ""
    panel.save(update_fields=["record", "stage", "constituted_at", "selection_progress"])
    seats = list(panel.volunteers.filter(number__in=selected).select_related("user"))
    transaction.on_commit(lambda: _tell_members(panel, seats))
    return panel


def _tell_members(panel: Panel, seats: list[PanelVolunteer]) -> None:
    """Push and inbox for members with an account, e-mail for those with an address only;
    those with neither are in the officer's letter list (``members.csv``)."""
    title = bilingual(gettext_lazy("You are a member of %(title)s"), title=panel.title)
    body = bilingual(
        gettext_lazy("You were drawn by lot. The participation officer will write to you.")
    )
    push.notify(
        users=[seat.user for seat in seats if seat.user],
        kind=Kind.PANEL,
        title=title,
        body=body,
        link_type="panel",
        link_id=panel.slug,
        collapse_key=f"panel-{panel.pk}-member",
    )
    for seat in seats:
        if seat.user is None and seat.email:
            push.email_queue(
                to=seat.email,
                subject=title[settings.LANGUAGE_CODE],
                body_text=body[settings.LANGUAGE_CODE],
                key=f"panel-{panel.pk}-member-{seat.number}",
            )


def _keeps_quotas(panel: Panel, members: list[dict[str, str]]) -> bool:
    counts = Counter((key, value) for answers in members for key, value in answers.items())
    return all(
        quota["min"] <= counts.get((quota["criterion"], quota["value"]), 0) <= quota["max"]
        for quota in panel.selection_quotas
    )


@dataclass
class Replacement:
    left: PanelVolunteer
    replacement: PanelVolunteer | None


@transaction.atomic
def panel_member_leave(*, panel: Panel, number: int) -> Replacement:
    """A member leaves; the first of the reserve list who keeps every quota takes the seat
    (none may: the seat then stays empty, and the answer says so)."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.stage != Panel.Stage.CONSTITUTED:
        raise Conflict(_("The panel is not constituted yet."))
    leaving = panel.volunteers.filter(number=number, status=PanelVolunteer.Status.MEMBER).first()
    if leaving is None:
        raise ValidationError({"number": [_("No member of the panel has this number.")]})
    leaving.status = PanelVolunteer.Status.LEFT
    leaving.left_at = timezone.now()
    leaving.save(update_fields=["status", "left_at"])
    staying = list(
        panel.volunteers.filter(status=PanelVolunteer.Status.MEMBER).values_list(
            "answers", flat=True
        )
    )
    replacement = None
    for candidate in panel.volunteers.filter(status=PanelVolunteer.Status.RESERVE).order_by(
        "reserve_rank"
    ):
        if _keeps_quotas(panel, [*staying, candidate.answers]):
            replacement = candidate
            break
    if replacement is not None:
        replacement.status = PanelVolunteer.Status.MEMBER
        replacement.reserve_rank = None
        replacement.save(update_fields=["status", "reserve_rank"])
        transaction.on_commit(lambda: _tell_members(panel, [replacement]))
    panel.record["replacements"] = [
        *panel.record.get("replacements", []),
        {
            "left": leaving.number,
            "replacement": replacement.number if replacement else None,
            "on": timezone.localdate().isoformat(),
        },
    ]
    panel.record["composition"] = _composition(
        panel,
        {
            (row["criterion"], row["value"]): row["population"]
            for row in panel.record["composition"]
            if row["population"] is not None
        },
    )
    panel.save(update_fields=["record"])
    return Replacement(left=leaving, replacement=replacement)
