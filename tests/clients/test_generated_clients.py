"""An app team's first step works: clients generated from the schema, without warnings."""

from __future__ import annotations

import importlib
import json
import pkgutil

from tests.clients.conftest import ROOT, run


def test_the_python_client_is_generated_without_a_warning(python_generation):
    output = python_generation.stdout + python_generation.stderr
    assert python_generation.returncode == 0, output
    assert "warning" not in output.lower(), output
    assert "error" not in output.lower(), output
    assert "unable to" not in output.lower(), output


def test_every_generated_python_module_imports(agglo_client):
    names = [
        module.name
        for module in pkgutil.walk_packages(agglo_client.__path__, f"{agglo_client.__name__}.")
    ]
    assert any(".api." in name for name in names)
    assert any(".models." in name for name in names)
    for name in names:
        importlib.import_module(name)


def test_every_operation_of_the_schema_has_its_python_function(agglo_client, schema_file):
    schema = json.loads(schema_file.read_text())
    operation_ids = {
        operation["operationId"]
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }
    api = importlib.import_module(f"{agglo_client.__name__}.api")
    modules = {
        module.name.rsplit(".", 1)[-1]
        for module in pkgutil.walk_packages(api.__path__, f"{api.__name__}.")
    }
    assert operation_ids <= modules, sorted(operation_ids - modules)


def test_typescript_types_are_generated_and_type_check(schema_file):
    folder = schema_file.parent
    generator = run(
        [
            str(ROOT / "web/node_modules/.bin/openapi-typescript"),
            str(schema_file),
            "--output",
            str(folder / "api.d.ts"),
        ],
        cwd=folder,
    )
    output = generator.stdout + generator.stderr
    assert generator.returncode == 0, output
    assert "warn" not in output.lower() and "error" not in output.lower(), output
    checker = run(
        [str(ROOT / "web/node_modules/.bin/tsc"), "--noEmit", "--strict", str(folder / "api.d.ts")],
        cwd=folder,
    )
    assert checker.returncode == 0, checker.stdout + checker.stderr
