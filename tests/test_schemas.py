"""The JSON Schemas in schemas/ are exactly what the validator's declarations generate, and agree with it."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT, SITES, run_cli

from glossary_ssg.schema_export import front_matter_schema, schema_files

SHIPPED = ROOT / "schemas"


def test_shipped_schemas_match_the_declarations() -> None:
    for name, text in schema_files().items():
        assert (SHIPPED / name).read_text() == text, f"run: glossary schema -o schemas ({name} is stale)"


def test_schema_command_writes_them(tmp_path: Path) -> None:
    result = run_cli("schema", "-o", tmp_path)
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.schema.json", "term.schema.json"]


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text().split("---\n")[1])


@pytest.mark.parametrize("kind, folder", [("term", "terms"), ("lesson", "lessons")])
def test_every_bundled_entry_validates(kind: str, folder: str) -> None:
    validator = jsonschema.Draft202012Validator(front_matter_schema(kind))
    for path in sorted((ROOT / "content" / folder).glob("*.md")):
        errors = [error.message for error in validator.iter_errors(front_matter(path))]
        assert errors == [], path.name


@pytest.mark.parametrize("case", ["unknown-key", "wrong-type", "missing-field"])
def test_schema_rejects_what_the_validator_rejects(case: str) -> None:
    validator = jsonschema.Draft202012Validator(front_matter_schema("term"))
    path = SITES / "invalid" / case / "content/terms/broken.md"
    assert list(validator.iter_errors(front_matter(path)))
