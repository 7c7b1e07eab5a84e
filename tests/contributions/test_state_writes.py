"""Only the moderation machine writes a contribution's state and its moderation fields.

A scan of the project's source (tests and migrations left out): outside
contributions/services/moderation.py it refuses an attribute assignment or ``setattr`` of a
moderation field, one passed to ``Contribution(...)`` (what ``bulk_create`` takes) or to
``update``/``create``/``get_or_create``/``update_or_create`` (``defaults`` and ``**{...}``
included) or named in ``bulk_update``, and SQL that updates or inserts into the
contributions' table with one. These field names belong to contributions alone, so any
such write is one. The back-office's forms write no code line: tests/contributions/
test_admin.py proves them read-only.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from contributions.services.moderation import MODERATION_FIELDS

ROOT = Path(__file__).resolve().parents[2]
OWNER = ROOT / "contributions" / "services" / "moderation.py"
SKIPPED_PARTS = {".venv", "node_modules", "migrations", "tests", ".git", "var"}
WRITE_METHODS = {"update", "create", "get_or_create", "update_or_create"}
SQL_WRITE = re.compile(
    r"\b(UPDATE|INSERT\s+INTO)\s+\"?contributions_contribution\"?\s.*?\b("
    + "|".join(sorted(MODERATION_FIELDS))
    + r")\b",
    re.IGNORECASE | re.DOTALL,
)


def _keys(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Dict):
        return [
            key.value
            for key in node.keys
            if isinstance(key, ast.Constant) and isinstance(key.value, str)
        ]
    return []


def _call_writes(call: ast.Call) -> list[str]:
    func = call.func
    method = func.attr if isinstance(func, ast.Attribute) else ""
    if isinstance(func, ast.Name) and func.id == "setattr" and len(call.args) >= 2:
        name = call.args[1]
        if isinstance(name, ast.Constant) and name.value in MODERATION_FIELDS:
            return [f"setattr(..., {name.value!r})"]
        return []
    names: list[str] = []
    if (isinstance(func, ast.Name) and func.id == "Contribution") or method in WRITE_METHODS:
        for keyword in call.keywords:
            if keyword.arg is None or keyword.arg in ("defaults", "create_defaults"):
                names += _keys(keyword.value)
            else:
                names.append(keyword.arg)
    if method == "bulk_update":
        fields = call.args[1] if len(call.args) > 1 else None
        fields = fields or next((k.value for k in call.keywords if k.arg == "fields"), None)
        if isinstance(fields, ast.List | ast.Tuple | ast.Set):
            names += [e.value for e in fields.elts if isinstance(e, ast.Constant)]
    return [
        f"{method or 'Contribution'}({name}=...)" for name in names if name in MODERATION_FIELDS
    ]


def writes_outside_the_machine(source: str) -> list[str]:
    """Every write of a moderation field in ``source``, as ``line: what``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        while targets:
            target = targets.pop()
            if isinstance(target, ast.Tuple | ast.List):
                targets += target.elts
            elif isinstance(target, ast.Attribute) and target.attr in MODERATION_FIELDS:
                found.append(f"{node.lineno}: .{target.attr} = ...")
        if isinstance(node, ast.Call):
            found += [f"{node.lineno}: {what}" for what in _call_writes(node)]
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL_WRITE.search(node.value)
        ):
            found.append(f"{node.lineno}: SQL writing a moderation field")
    return found


def _project_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_PARTS & set(path.relative_to(ROOT).parts) and path != OWNER
    )


def test_no_code_outside_the_moderation_machine_writes_a_contributions_state():
    files = _project_files()
    assert len(files) > 50, "the scan must see the project"
    found = [
        f"{path.relative_to(ROOT)}:{where}"
        for path in files
        for where in writes_outside_the_machine(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_machine_itself_is_seen_writing_it():
    found = writes_outside_the_machine(OWNER.read_text(encoding="utf-8"))
    assert any(".state = ..." in where for where in found)
    assert any("create(state=...)" in where for where in found)


@pytest.mark.parametrize(
    "line",
    [
        "contribution.state = Contribution.State.PENDING",
        "contribution.state = 'hidden'",
        "contribution.flagged_at, contribution.state = now, 'hidden'",
        "contribution.reviewed_at = now",
        "setattr(contribution, 'state', 'published')",
        "Contribution(consultation=c, state='published')",
        "Contribution.objects.create(consultation=c, state=Contribution.State.PUBLISHED)",
        "Contribution.objects.filter(pk=1).update(state='hidden')",
        "queryset.update(state='pending')",
        "consultation.contributions.update(moderation_message='')",
        "Contribution.objects.get_or_create(pk=1, defaults={'state': 'published'})",
        "Contribution.objects.filter(pk=1).update(**{'flagged_at': None})",
        "Contribution.objects.bulk_update(contributions, ['state'])",
        "cursor.execute(\"UPDATE contributions_contribution SET state = 'published'\")",
    ],
)
def test_the_scan_catches_a_write(line):
    assert writes_outside_the_machine(line)


@pytest.mark.parametrize(
    "line",
    [
        "Contribution.objects.filter(state='published').count()",
        "contribution.state == Contribution.State.PUBLISHED",
        "ModerationDecision.objects.create(from_state='pending', to_state='published')",
        "Contribution.objects.filter(pk=1).update(body='texte')",
        "cursor.execute('SELECT state FROM contributions_contribution')",
    ],
)
def test_the_scan_lets_reads_and_other_fields_through(line):
    assert writes_outside_the_machine(line) == []
