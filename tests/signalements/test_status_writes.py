"""Only the workflow writes a report's status and the dates it keeps.

A scan of the project's source, not a runtime guard: it sees every line, run or not, and
costs nothing in production. It reads each module that can touch reports (the signalements
app and every module importing it) and refuses, outside signalements/workflow.py:
an attribute assignment or ``setattr`` of a workflow field; a workflow field passed to a
report's constructor or to ``update``/``create``/``get_or_create``/``update_or_create``
(``defaults`` and ``**{...}`` included) or named in ``bulk_update``; SQL that updates or
inserts into the reports' table with one. A write is let through only when it visibly
belongs to another model: a chain rooted at another model class (``Photo.objects...``), or
a value that is another model's own status (``Photo.Status.READY``). The admin's forms
write no code line; tests/signalements/test_admin.py proves them read-only.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from signalements.workflow import WORKFLOW_FIELDS

ROOT = Path(__file__).resolve().parents[2]
OWNER = ROOT / "signalements" / "workflow.py"
SKIPPED_PARTS = {".venv", "node_modules", "migrations", "tests", ".git", "var"}
WRITE_METHODS = {"update", "create", "get_or_create", "update_or_create"}
RELATED_NAMES = {"signalements", "duplicates", "assigned_signalements"}
SQL_WRITE = re.compile(
    r"\b(UPDATE|INSERT\s+INTO)\s+\"?signalements_signalement\"?\s.*?\b("
    + "|".join(sorted(WORKFLOW_FIELDS))
    + r")\b",
    re.IGNORECASE | re.DOTALL,
)


def _root(node: ast.expr) -> ast.expr:
    """The first name of a chain such as ``Photo.objects.filter(...).update``."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node


def _chain_names(node: ast.expr) -> set[str]:
    names = set()
    while True:
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            if isinstance(node, ast.Name):
                names.add(node.id)
            return names


def _other_model(chain: ast.expr) -> bool:
    """A chain visibly about another model: rooted at a class other than Signalement."""
    root = _root(chain)
    names = _chain_names(chain)
    return (
        isinstance(root, ast.Name)
        and root.id[:1].isupper()
        and root.id != "Signalement"
        and not names & RELATED_NAMES
    )


def _other_status(value: ast.expr | None) -> bool:
    """``Photo.Status.READY``: another model's own status, not a report's."""
    return (
        isinstance(value, ast.Attribute)
        and isinstance(value.value, ast.Attribute)
        and value.value.attr == "Status"
        and isinstance(value.value.value, ast.Name)
        and value.value.value.id != "Signalement"
    )


def _keys(node: ast.expr) -> list[tuple[str, ast.expr | None]]:
    if isinstance(node, ast.Dict):
        return [
            (key.value, value)
            for key, value in zip(node.keys, node.values, strict=True)
            if isinstance(key, ast.Constant) and isinstance(key.value, str)
        ]
    return []


def _call_writes(call: ast.Call) -> list[str]:
    func = call.func
    is_constructor = isinstance(func, ast.Name) and func.id == "Signalement"
    method = func.attr if isinstance(func, ast.Attribute) else ""
    found = []
    if isinstance(func, ast.Name) and func.id == "setattr" and len(call.args) >= 2:
        name = call.args[1]
        value = call.args[2] if len(call.args) > 2 else None
        if (
            isinstance(name, ast.Constant)
            and name.value in WORKFLOW_FIELDS
            and not _other_status(value)
        ):
            found.append(f"setattr(..., {name.value!r})")
    if not (is_constructor or method in WRITE_METHODS or method == "bulk_update"):
        return found
    if not is_constructor and _other_model(func):
        return found
    pairs: list[tuple[str, ast.expr | None]] = []
    for keyword in call.keywords:
        if keyword.arg is None or keyword.arg in ("defaults", "create_defaults"):
            pairs += _keys(keyword.value)
        else:
            pairs.append((keyword.arg, keyword.value))
    if method == "bulk_update":
        fields = call.args[1] if len(call.args) > 1 else None
        fields = fields or next((k.value for k in call.keywords if k.arg == "fields"), None)
        if isinstance(fields, ast.List | ast.Tuple | ast.Set):
            pairs += [(e.value, None) for e in fields.elts if isinstance(e, ast.Constant)]
    for name, value in pairs:
        if name in WORKFLOW_FIELDS and not _other_status(value):
            found.append(f"{method or 'Signalement'}({name}=...)")
    return found


def _touches_reports(path: Path, tree: ast.Module) -> bool:
    if path.is_relative_to(ROOT / "signalements"):
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("signalements"):
            return True
        if isinstance(node, ast.Import) and any(
            alias.name.startswith("signalements") for alias in node.names
        ):
            return True
    return False


def writes_outside_the_workflow(source: str, path: Path) -> list[str]:
    """Every write of a workflow field in ``source``, as ``line: what``."""
    tree = ast.parse(source)
    if not _touches_reports(path, tree):
        return []
    found: list[str] = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = list(node.targets), node.value
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets, value = [node.target], node.value
        flat: list[ast.expr] = []
        while targets:
            target = targets.pop()
            if isinstance(target, ast.Tuple | ast.List):
                targets += target.elts
                value = None
            else:
                flat.append(target)
        for target in flat:
            if (
                isinstance(target, ast.Attribute)
                and target.attr in WORKFLOW_FIELDS
                and not _other_status(value)
            ):
                found.append(f"{node.lineno}: .{target.attr} = ...")
        if isinstance(node, ast.Call):
            found += [f"{node.lineno}: {what}" for what in _call_writes(node)]
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL_WRITE.search(node.value)
        ):
            found.append(f"{node.lineno}: SQL writing a workflow field")
    return found


def _project_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_PARTS & set(path.relative_to(ROOT).parts) and path != OWNER
    )


def test_no_code_outside_the_workflow_writes_the_status_or_its_dates():
    files = _project_files()
    assert len(files) > 50, "the scan must see the project"
    found = [
        f"{path.relative_to(ROOT)}:{where}"
        for path in files
        for where in writes_outside_the_workflow(path.read_text(encoding="utf-8"), path)
    ]
    assert found == []


def test_the_workflow_itself_is_seen_writing_them():
    assert writes_outside_the_workflow(OWNER.read_text(encoding="utf-8"), OWNER)


HERE = ROOT / "signalements" / "example.py"


@pytest.mark.parametrize(
    "line",
    [
        "report.status = Status.CLOSED",
        "report.status = 'clos'",
        "report.resolved_at = None",
        "report.closed_at, report.status = now, 'clos'",
        "setattr(report, 'status', 'clos')",
        "Signalement(category=c, status='clos')",
        "Signalement.objects.filter(pk=1).update(status='clos')",
        "Signalement.objects.create(status=Status.CLOSED)",
        "Signalement.objects.update_or_create(pk=1, defaults={'status': 'clos'})",
        "Signalement.objects.filter(pk=1).update(**{'acknowledged_at': now})",
        "queryset.update(resolved_at=now)",
        "category.signalements.update(status='clos')",
        "Signalement.objects.bulk_update(reports, ['status'])",
        "cursor.execute(\"UPDATE signalements_signalement SET status = 'clos' WHERE id = 1\")",
    ],
)
def test_the_scan_catches_a_write(line):
    assert writes_outside_the_workflow(line, HERE)


@pytest.mark.parametrize(
    "line",
    [
        "photo.status = Photo.Status.READY",
        "Photo.objects.filter(pk=1).update(status=Photo.Status.FAILED)",
        "left.filter(pk=1).update(status=Photo.Status.FAILED)",
        "SignalementEvent.objects.create(signalement=s, status=status)",
        "Open311Update.objects.create(status=word)",
        "Signalement.objects.filter(status='clos').count()",
        "cursor.execute('SELECT status FROM signalements_signalement')",
    ],
)
def test_the_scan_lets_other_models_and_reads_through(line):
    assert writes_outside_the_workflow(line, HERE) == []
