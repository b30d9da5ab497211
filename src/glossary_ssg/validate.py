"""Turn RawDocs into Terms and Lessons, checking each field against the schema.

Checks here need only one document and the config; checks across documents
(unknown slugs, duplicates, cycles, orphans) belong to the graph phase.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from glossary_ssg.config import SiteConfig
from glossary_ssg.content_files import Kind
from glossary_ssg.errors import Diagnostic, Location, error, warning
from glossary_ssg.loader import RawDoc
from glossary_ssg.located_yaml import INVALID, Entry, Located
from glossary_ssg.model import Lesson, Ref, Reference, Term, frozen_map
from glossary_ssg.paths import is_slug, slugify
from glossary_ssg.quiz import parse_quiz
from glossary_ssg.schema import (
    LESSON_FIELDS,
    REFERENCE_KEYS,
    SUMMARY_LIMIT,
    TERM_FIELDS,
    FieldSpec,
    ValueKind,
)
from glossary_ssg.suggest import did_you_mean

FIELDS: dict[Kind, tuple[FieldSpec, ...]] = {"term": TERM_FIELDS, "lesson": LESSON_FIELDS}

_EXPECTED = {
    ValueKind.TEXT: "text",
    ValueKind.STRINGS: "a list of text",
    ValueKind.TAGS: "a list of tags",
    ValueKind.LEVEL: "a level name",
    ValueKind.AREA: "an area slug",
    ValueKind.TERM_REF: "a term slug",
    ValueKind.TERM_REFS: "a list of term slugs",
    ValueKind.LESSON_REF: "a lesson slug",
    ValueKind.LESSON_REFS: "a list of lesson slugs",
    ValueKind.REFERENCES: "a list of references (title, url, note)",
    ValueKind.QUIZ: "a list of questions",
    ValueKind.OLD_PATHS: "a list of old page paths",
}
_LIST_KINDS = {ValueKind.STRINGS, ValueKind.TAGS, ValueKind.TERM_REFS, ValueKind.LESSON_REFS, ValueKind.OLD_PATHS,
               ValueKind.REFERENCES, ValueKind.QUIZ}


@dataclass(frozen=True)
class ValidatedContent:
    terms: tuple[Term, ...]
    lessons: tuple[Lesson, ...]


def validate_document(doc: RawDoc, config: SiteConfig) -> tuple[Term | Lesson, list[Diagnostic]]:
    checker = _FieldChecker(doc, config)
    values = checker.check_all(FIELDS[doc.kind])
    # Even a document with errors yields an entry (with blanks where fields were
    # wrong), so the graph phase can still report its unknown references and
    # clashing names in the same run. The build stops before anything is rendered.
    common = dict(
        slug=doc.slug, source=doc.source, title=values.get("title", ""), summary=values.get("summary", ""),
        level=values.get("level", ""), area=values.get("area", ""), tags=values.get("tags", ()),
        redirect_from=values.get("redirect_from", ()),
        body=doc.body, body_line=doc.body_line, locations=frozen_map(checker.locations),
    )
    if doc.kind == "term":
        entry: Term | Lesson = Term(
            **common, aliases=values.get("aliases", ()), lesson=values.get("lesson"),
            related_lessons=values.get("related_lessons", ()), see_also=values.get("see_also", ()))
    else:
        entry = Lesson(
            **common, terms=values.get("terms", ()), prerequisites=values.get("prerequisites", ()),
            references=values.get("references", ()), quiz=values.get("quiz", ()))
    if checker.failed:
        return entry, checker.diagnostics
    return entry, checker.diagnostics + checker.advice(entry)


class _FieldChecker:
    def __init__(self, doc: RawDoc, config: SiteConfig):
        self.doc = doc
        self.config = config
        self.diagnostics: list[Diagnostic] = []
        self.locations: dict[str, Location] = {}
        self.failed = False

    def fail(self, code: str, message: str, where: Location, hint: str | None = None) -> None:
        self.failed = True
        self.diagnostics.append(error(code, message, where, hint))

    def check_all(self, fields: tuple[FieldSpec, ...]) -> dict[str, object]:
        entries: dict[str, Entry] = self.doc.front_matter.value  # type: ignore[assignment]
        known = {field.name: field for field in fields}
        for key, entry in entries.items():
            if key not in known:
                self.fail("unknown-key", f"unknown key '{key}' in {self.doc.kind} front matter",
                          entry.key_location, did_you_mean(key, known) or f"allowed keys: {', '.join(known)}")
        values = {}
        for field in fields:
            entry = entries.get(field.name)
            if entry is None:
                if field.required:
                    self.fail("missing-field", f"missing required field '{field.name}'",
                              self.doc.front_matter.location,
                              f"add a line such as {field.name}: {field.example}")
                continue
            self.locations[field.name] = entry.value.location
            if entry.value.value is INVALID:
                self.failed = True  # already reported by the YAML reader
                continue
            if entry.value.value is None and not field.required:
                continue  # `lesson:` with nothing after it: the field is simply not used
            value = self.check(field, entry.value)
            if value is not None:
                values[field.name] = value
        return values

    def wrong_type(self, field: FieldSpec, value: Located, what: str | None = None) -> None:
        got = what or _describe(value.value)
        hint = None
        if field.kind in _LIST_KINDS and isinstance(value.value, str):
            hint = f"write a list: {field.name}: [{value.value}]"
        self.fail("wrong-type", f"'{field.name}' must be {_EXPECTED[field.kind]}, not {got}", value.location, hint)

    def check(self, field: FieldSpec, value: Located) -> object:
        if field.kind in _LIST_KINDS:
            if not isinstance(value.value, tuple):
                return self.wrong_type(field, value)
            return self.check_list(field, value.value)
        if not isinstance(value.value, str) or not value.value.strip():
            return self.wrong_type(field, value)
        text = value.value.strip()
        if field.kind is ValueKind.LEVEL:
            return self.known(field, value, text, self.config.levels, "level")
        if field.kind is ValueKind.AREA:
            return self.known(field, value, text, self.config.areas, "area")
        if field.kind in (ValueKind.TERM_REF, ValueKind.LESSON_REF):
            return Ref(text, value.location)
        return " ".join(text.split()) if field.name in ("title", "summary") else text

    def known(self, field: FieldSpec, value: Located, text: str, allowed, what: str) -> str | None:
        if text in allowed:
            return text
        hint = did_you_mean(text, allowed) or f"known {what}s: {', '.join(allowed) or 'none'}"
        if what == "area" and not allowed:
            hint = "declare areas in glossary.yml under 'areas:'"
        self.fail(f"unknown-{what}", f"unknown {what} '{text}'", value.location, hint)
        return None

    def check_list(self, field: FieldSpec, items: tuple[Located, ...]) -> tuple | None:
        if field.kind is ValueKind.QUIZ:
            questions, problems = parse_quiz(items)
            self.diagnostics.extend(problems)
            self.failed = self.failed or bool(problems)
            return questions
        convert: Callable[[FieldSpec, Located], object] = {
            ValueKind.REFERENCES: self.reference,
        }.get(field.kind, self.list_item)
        results = []
        for index, item in enumerate(items):
            self.locations[f"{field.name}.{index}"] = item.location
            if item.value is INVALID:
                self.failed = True
                continue
            result = convert(field, item)
            if result is not None:
                results.append(result)
        return tuple(results)

    def list_item(self, field: FieldSpec, item: Located) -> object:
        if not isinstance(item.value, str) or not item.value.strip():
            return self.fail("wrong-type", f"each item of '{field.name}' must be text, not {_describe(item.value)}",
                             item.location)
        text = item.value.strip()
        if field.kind is ValueKind.TAGS and not is_slug(text):
            return self.fail("bad-tag", f"tag '{text}' must be lowercase words joined by hyphens", item.location,
                             f"write '{slugify(text)}'")
        if field.kind in (ValueKind.TERM_REFS, ValueKind.LESSON_REFS):
            return Ref(text, item.location)
        if field.kind is ValueKind.OLD_PATHS:
            path = old_page_path(text)
            if path is None:
                return self.fail("bad-path", f"'{text}' is not a page path of this site", item.location,
                                 "write it like terms/old-slug/, without the site's address")
            return Ref(path, item.location)
        return text

    def reference(self, field: FieldSpec, item: Located) -> Reference | None:
        if not isinstance(item.value, dict):
            return self.fail("wrong-type", "each reference must have a title, url and note", item.location,
                             "for example: - {title: ..., url: https://..., note: ...}")
        entries = item.value
        for key, entry in entries.items():
            if key not in REFERENCE_KEYS:
                self.fail("unknown-key", f"unknown key '{key}' in a reference", entry.key_location,
                          did_you_mean(key, REFERENCE_KEYS) or "allowed keys: title, url, note")
        texts = {}
        for key, required in REFERENCE_KEYS.items():
            entry = entries.get(key)
            if entry is None:
                if required:
                    self.fail("missing-field", f"reference is missing '{key}'", item.location)
                continue
            if not isinstance(entry.value.value, str) or not entry.value.value.strip():
                self.fail("wrong-type", f"reference '{key}' must be text", entry.value.location)
                continue
            texts[key] = entry.value.value.strip()
        url = texts.get("url", "")
        if url and not url.startswith(("https://", "http://")):
            self.fail("bad-url", f"reference url '{url}' must start with https:// or http://",
                      entries["url"].value.location)
        if "title" not in texts or "url" not in texts:
            return None
        return Reference(texts["title"], url, texts.get("note", ""))

    def advice(self, entry: Term | Lesson) -> list[Diagnostic]:
        """Warnings: the entry is usable, but a reader would be better served otherwise."""
        found = []
        if len(entry.summary) > SUMMARY_LIMIT:
            found.append(warning("long-summary",
                                 f"summary is {len(entry.summary)} characters, more than {SUMMARY_LIMIT}",
                                 entry.where("summary"), "keep the definition to one or two sentences"))
        if isinstance(entry, Lesson) and not entry.quiz:
            found.append(warning("no-quiz", "lesson has no quiz", Location(entry.source, 1, 1),
                                 "add a 'quiz:' list so readers can check what they learnt"))
        return found


def old_page_path(text: str) -> str | None:
    """'/terms/old/' or 'terms/old' -> 'terms/old/'; None for anything that is not a plain site path."""
    path = text.strip().strip("/")
    parts = path.split("/")
    if not path or "://" in text or any(part in ("", ".", "..") or not is_slug(part) for part in parts):
        return None
    return path + "/"


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "empty text" if not value.strip() else "text"
    if isinstance(value, tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__
