"""JSON Schema for term and lesson front matter, generated from the declarations the validator uses.

The files in schemas/ are this module's output; a test fails if they drift
from schema.py, quiz.py or the slug rule.
"""

from __future__ import annotations

import json

from glossary_ssg.paths import SLUG_PATTERN
from glossary_ssg.quiz import CHOICE_KEYS, QUESTION_KEYS
from glossary_ssg.schema import (
    LESSON_FIELDS,
    REFERENCE_KEYS,
    SUMMARY_LIMIT,
    TERM_FIELDS,
    FieldSpec,
    ValueKind,
)

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_SLUG = {"type": "string", "pattern": f"^{SLUG_PATTERN.pattern}$"}
_TEXT = {"type": "string", "minLength": 1}
_NAME = {"type": "string", "minLength": 1, "description": "A slug, or a title or alias that matches in full."}


def _object(keys: dict[str, bool], properties: dict[str, dict]) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": [key for key, required in keys.items() if required]}


_CHOICE = _object(CHOICE_KEYS, {"text": _TEXT, "correct": {"type": "boolean"}, "feedback": _TEXT})
_QUESTION = _object(QUESTION_KEYS, {
    "id": _SLUG, "prompt": _TEXT, "explanation": _TEXT,
    "choices": {"type": "array", "minItems": 2, "items": _CHOICE},
})
_REFERENCE = _object(REFERENCE_KEYS, {"title": _TEXT, "url": {"type": "string", "pattern": "^https?://"},
                                      "note": _TEXT})

_KINDS: dict[ValueKind, dict] = {
    ValueKind.TEXT: _TEXT,
    ValueKind.STRINGS: {"type": "array", "items": _TEXT},
    ValueKind.TAGS: {"type": "array", "items": _SLUG},
    ValueKind.LEVEL: {**_SLUG, "description": "One of the levels in glossary.yml."},
    ValueKind.AREA: {**_SLUG, "description": "An area slug from glossary.yml."},
    ValueKind.TERM_REF: _NAME,
    ValueKind.TERM_REFS: {"type": "array", "items": _NAME},
    ValueKind.LESSON_REF: _NAME,
    ValueKind.LESSON_REFS: {"type": "array", "items": _NAME},
    ValueKind.REFERENCES: {"type": "array", "items": _REFERENCE},
    ValueKind.QUIZ: {"type": "array", "items": _QUESTION},
    ValueKind.OLD_PATHS: {"type": "array", "items": {"type": "string", "pattern":
                          f"^/?({SLUG_PATTERN.pattern}/)*{SLUG_PATTERN.pattern}/?$"}},
}


def front_matter_schema(kind: str) -> dict:
    fields: tuple[FieldSpec, ...] = TERM_FIELDS if kind == "term" else LESSON_FIELDS
    properties = {}
    for field in fields:
        prop = {**_KINDS[field.kind], "description": field.doc}
        if field.name == "summary":
            prop["maxLength"] = SUMMARY_LIMIT  # longer is a warning; editors flag it early
        properties[field.name] = prop
    return {"$schema": SCHEMA_DIALECT, "$id": f"https://glossary-ssg.github.io/schemas/{kind}.schema.json",
            "title": f"glossary-ssg {kind} front matter", "type": "object", "additionalProperties": False,
            "required": [f.name for f in fields if f.required], "properties": properties}


def schema_files() -> dict[str, str]:
    """File name -> JSON text, as shipped in schemas/."""
    return {f"{kind}.schema.json": json.dumps(front_matter_schema(kind), indent=2) + "\n"
            for kind in ("term", "lesson")}
