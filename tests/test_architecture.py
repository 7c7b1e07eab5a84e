"""Imports only run downwards and never in a circle.

Every module of the project is parsed (migrations aside), function-level and
type-checking imports included: a cycle hidden inside a function is still a cycle.
The layers, bottom first: backend, geo, push, then signalements and contributions,
which never import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"backend": 0, "geo": 1, "push": 2, "signalements": 3, "contributions": 3}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_modules() -> dict[str, Path]:
    modules = {}
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                modules[_module_name(path)] = path
    return modules


def _imports(name: str, source: str, *, is_package: bool, known: set[str]) -> set[str]:
    """The project modules that this module imports, wherever the import statement is."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from push import services`` imports the module push.services.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            # ``import push.services.x`` where only push.services is ours: the closest module.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _project_modules()
    known = set(modules)
    return {
        name: _imports(
            name,
            path.read_text(encoding="utf-8"),
            is_package=path.name == "__init__.py",
            known=known,
        )
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def _describe(component: list[str], graph: dict[str, set[str]]) -> str:
    members = set(component)
    edges = [
        f"{source} -> {target}"
        for source in component
        for target in sorted(graph[source] & members)
    ]
    return "; ".join(edges)


def test_every_app_is_found_and_parsed():
    graph = _graph()
    assert {name.partition(".")[0] for name in graph} == set(LAYERS)
    assert "push.models" in graph["push.services"]
    assert not any(name.partition(".")[2].startswith("migrations") for name in graph)


def test_imports_inside_functions_and_relative_ones_are_read():
    source = (
        "from . import models\n"
        "from .models import Thing\n"
        "def later():\n"
        "    from a.tasks import run\n"
        "    import a.sub.deep\n"
    )
    known = {"a", "a.models", "a.tasks", "a.sub", "a.services"}
    found = _imports("a.services", source, is_package=False, known=known)
    assert found == {"a.models", "a.tasks", "a.sub"}


def test_no_module_imports_another_that_imports_it_back():
    graph = _graph()
    cycles = [_describe(component, graph) for component in _cycles(graph)]
    assert cycles == [], "\n".join(cycles)


def test_imports_only_run_down_the_layers():
    upward = []
    for source, targets in sorted(_graph().items()):
        app = source.partition(".")[0]
        for target in sorted(targets):
            other = target.partition(".")[0]
            if other == app:
                continue
            if LAYERS[other] >= LAYERS[app]:
                upward.append(f"{source} -> {target}")
    assert upward == [], "\n".join(upward)


def test_the_cycle_finder_sees_a_cycle_through_a_function_level_import():
    graph = {"a.one": {"a.two"}, "a.two": {"a.three"}, "a.three": {"a.one"}, "a.four": set()}
    assert _cycles(graph) == [["a.one", "a.three", "a.two"]]
