"""The import directions of docs/ARCHITECTURE.md, read from the source so that they stay true."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

# package -> the apps it must not import (core ← partners ← workpackages ← reporting ← claims ← web; nothing
# imports demo).
FORBIDDEN = {
    "consortium": {"partners", "workpackages", "reporting", "claims", "web", "demo"},
    "partners": {"workpackages", "reporting", "claims", "web", "demo"},
    "workpackages": {"reporting", "claims", "web", "demo"},
    "reporting": {"claims", "web", "demo"},
    "claims": {"web", "demo"},
    "web": {"demo"},
}
# The composition root names every app; migrations may import what their fields refer to.
EXEMPT = {"consortium/urls.py", "consortium/settings.py"}


def imports(path: Path):
    """(line, module) for every absolute import in the file, including those inside functions."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module


@pytest.mark.parametrize("package", list(FORBIDDEN))
def test_package_imports_only_the_apps_it_builds_on(package):
    root = Path(settings.BASE_DIR)
    violations = []
    for path in sorted((root / package).rglob("*.py")):
        relative = path.relative_to(root)
        if "migrations" in relative.parts or relative.as_posix() in EXEMPT:
            continue
        violations += [f"{relative}:{line} imports {module}" for line, module in imports(path)
                       if module.split(".")[0] in FORBIDDEN[package]]
    assert not violations, "\n".join(violations)
