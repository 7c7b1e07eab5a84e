"""The citizen panel: importing its pool from the electoral lists and drawing the invitations."""

from __future__ import annotations

import csv
import io
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.errors import Conflict
from contributions import sortition
from contributions.models import Panel, PoolPerson
from geo.models import Commune

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
