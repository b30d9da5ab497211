"""The README documents every field the validator knows, and its examples are valid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glossary_ssg.config import CONFIG_KEYS
from glossary_ssg.schema import LESSON_FIELDS, TERM_FIELDS

README = (Path(__file__).parent.parent / "README.md").read_text()


def table_rows(heading: str) -> dict[str, str]:
    """The first table after `heading`: first-column names to the second column."""
    lines = README.split(heading, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append(line)
    rows = [re.match(r"\| `(\w+)` \| ([^|]+) \|", line) for line in table[2:]]
    return {row.group(1): row.group(2).strip() for row in rows if row}


@pytest.mark.parametrize("heading, fields", [("### Terms:", TERM_FIELDS), ("### Lessons:", LESSON_FIELDS)])
def test_field_tables_match_the_schema(heading: str, fields) -> None:
    rows = table_rows(heading)
    assert list(rows) == [field.name for field in fields]
    assert [rows[field.name] == "yes" for field in fields] == [field.required for field in fields]


def test_config_table_matches_the_schema() -> None:
    assert list(table_rows("### glossary.yml")) == list(CONFIG_KEYS)


def test_yaml_examples_parse() -> None:
    import yaml
    blocks = re.findall(r"```yaml\n(.*?)```", README, re.S)
    assert blocks
    for block in blocks:
        yaml.safe_load(block)
