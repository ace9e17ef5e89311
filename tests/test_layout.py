"""The apps stand on each other in one order, and a module only imports what stands below its own app.

    portal -> partnership, trainings -> accounts -> children -> notifications -> common

partnership and trainings stand side by side and never import each other. Every import statement counts,
also one inside a function. The modules are read with `ast`, not imported, so nothing is executed.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEVEL = {"common": 0, "notifications": 1, "children": 2, "accounts": 3, "partnership": 4, "trainings": 4, "portal": 5}


def modules(app):
    return sorted(path for path in (ROOT / app).rglob("*.py") if "__pycache__" not in path.parts)


def imported_apps(path):
    """(line, app) for every import of another project app in the module at `path`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue  # relative imports stay inside the app
        for name in names:
            top = name.split(".")[0]
            if top in LEVEL:
                yield node.lineno, top


def wrong_imports(app):
    found = []
    for path in modules(app):
        for line, target in imported_apps(path):
            if target != app and LEVEL[target] >= LEVEL[app]:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    return found


@pytest.mark.parametrize("app", sorted(LEVEL))
def test_an_app_imports_only_what_stands_below_it(app):
    assert wrong_imports(app) == []


def test_the_walk_sees_every_app_and_catches_an_upward_import(tmp_path):
    for app in LEVEL:
        assert modules(app), f"no modules found for {app}"
    upward = tmp_path / "children.py"
    upward.write_text("def view():\n    from partnership.timeline import timeline_context\n")
    assert list(imported_apps(upward)) == [(2, "partnership")]
