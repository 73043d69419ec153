"""The OpenAPI schema is complete: it validates without a single warning, and documents errors."""

import yaml
from django.core.management import call_command


def test_schema_validates_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    patch = schema["paths"]["/api/deliverables/{id}/"]["patch"]
    assert {"400", "401", "403", "404", "409", "412", "428"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" for p in patch["parameters"])
    listing = schema["paths"]["/api/deliverables/"]["get"]
    assert {"overdue", "due_before", "due_after", "status", "work_package", "lead_partner", "project",
            "ordering", "page", "page_size"} <= {p["name"] for p in listing["parameters"]}
    assert "/api/effort/" in schema["paths"] and "/api/users/" in schema["paths"]
