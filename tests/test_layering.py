"""The layout rules of docs/architecture.md, checked on the source: SpiffWorkflow and Flask stay in their place."""

import ast
from pathlib import Path

import pytest

SERVICE = Path(__file__).resolve().parent.parent / "service"

# Only these may import Flask (or a Flask extension): the HTTP edges and the wiring of the app.
FLASK_ALLOWED = ("service/__init__.py", "service/api/", "service/web/", "service/cli.py", "service/scheduler.py",
                 "service/wsgi.py", "service/extensions.py", "service/http_errors.py")
SPIFF_ALLOWED = ("service/workflow/",)
# The domain packages never reach up into the HTTP edges.
EDGES = ("service.api", "service.web")
DOMAIN = ("service/accounts/", "service/analysis/", "service/complaints/", "service/forms/", "service/letters/",
          "service/mail/", "service/privacy/", "service/process/", "service/workflow/")


def imported_modules(source: str, module: str) -> set[str]:
    """Return every module a source imports, at any depth of the file, relative imports made absolute."""
    found = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def violations(root: Path) -> list[str]:
    """Return one line per import that breaks the layout rules, for every module below root/service."""
    problems = []
    for file in sorted((root / "service").rglob("*.py")):
        relative = file.relative_to(root).as_posix()
        if "/migrations/" in relative:
            continue
        module = relative.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
        if file.name == "__init__.py":
            module += ".__init__"
        for name in sorted(imported_modules(file.read_text(encoding="utf-8"), module)):
            top = name.split(".")[0]
            if (top == "flask" or top.startswith("flask_")) and not relative.startswith(FLASK_ALLOWED):
                problems.append(f"{relative}: imports {name}; only the HTTP edges and the app's wiring use Flask")
            if top == "SpiffWorkflow" and not relative.startswith(SPIFF_ALLOWED):
                problems.append(f"{relative}: imports {name}; only service/workflow/ imports SpiffWorkflow")
            if relative.startswith(DOMAIN) and name.startswith(EDGES):
                problems.append(f"{relative}: imports {name}; a domain package never imports the HTTP edges")
    return problems


def test_the_service_keeps_flask_at_the_edges_and_spiffworkflow_in_workflow():
    assert violations(SERVICE.parent) == []


@pytest.mark.parametrize(("path", "source", "expected"), [
    ("service/complaints/bad.py", "from flask import request\n", "only the HTTP edges"),
    ("service/analysis/bad.py", "def f():\n    import flask_sqlalchemy\n", "only the HTTP edges"),
    ("service/letters/bad.py", "from SpiffWorkflow.bpmn import BpmnWorkflow\n", "only service/workflow/"),
    ("service/process/bad.py", "from service.api.schemas import load\n", "never imports the HTTP edges"),
    ("service/workflow/bad.py", "from ..web import bp\n", "never imports the HTTP edges"),
])
def test_a_module_that_breaks_a_rule_is_named(tmp_path, path, source, expected):
    file = tmp_path / path
    file.parent.mkdir(parents=True)
    file.write_text(source)
    (tmp_path / "service" / "web").mkdir(exist_ok=True)
    (tmp_path / "service" / "web" / "ok.py").write_text("from flask import request\nfrom service import clock\n")
    assert [line for line in violations(tmp_path) if expected in line and path in line]
    assert not [line for line in violations(tmp_path) if "web/ok.py" in line]
