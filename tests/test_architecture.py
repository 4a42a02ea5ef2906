"""The layout holds: apps import only downward, and the OpenAPI schema has no warnings.

The layers (README, "Architecture"), lowest first: ``core`` (utilities) → ``inbox`` →
``grid`` → ``casework`` → ``disputes`` → ``petitions`` → ``outreach`` → ``legalaid`` →
``supervision`` → ``cadence`` → ``reporting`` →
``imports`` → ``ops``. A module may import its own app and the apps below it, never one above, not even
inside a function.
"""

import ast
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "inbox", "grid", "casework", "disputes", "petitions", "outreach",
          "legalaid", "supervision", "cadence", "reporting", "imports", "ops"]
RANK = {app: i for i, app in enumerate(LAYERS)}


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """The project apps a module imports, with the line, wherever the import stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found |= {(name.split(".")[0], node.lineno) for name in names
                  if name.split(".")[0] in RANK}
    return found


def upward_imports() -> list[str]:
    bad = []
    for app, rank in RANK.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            for target, line in sorted(imported_apps(path)):
                if RANK[target] > rank:
                    bad.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    return bad


def test_every_app_is_in_a_layer():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps == set(LAYERS), "add the new app to LAYERS and to the README's architecture"


def test_no_app_imports_a_higher_one():
    assert upward_imports() == []


def test_the_layer_check_finds_an_upward_import(tmp_path, monkeypatch):
    """The check itself: an import from grid up to disputes, hidden in a function, is found."""
    fake = tmp_path / "grid"
    fake.mkdir()
    (fake / "x.py").write_text("def f():\n    from disputes.models import Dispute\n")
    for app in LAYERS:
        if app != "grid":
            (tmp_path / app).mkdir()
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert upward_imports() == ["grid/x.py:2 imports disputes"]


def test_utilities_import_no_app():
    for path in sorted((ROOT / "core").rglob("*.py")):
        assert {t for t, _ in imported_apps(path)} <= {"core"}, path


@pytest.mark.django_db
def test_openapi_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file",
                 str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").stat().st_size > 10_000
