"""Parse YAML into plain values that remember the line and column they came from.

Contributors need diagnostics that point at the offending key or value, so we
compose YAML nodes (which carry marks) and convert them ourselves. The
conversion is strict where YAML 1.1 would silently change meaning: `no`
becoming false, `10:00` becoming 600 and bare dates becoming date objects are
reported instead of accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

import yaml

from glossary_ssg.errors import Diagnostic, Location, error

try:  # libyaml's composer is much faster and keeps the same marks
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)")


@dataclass(frozen=True)
class Located:
    """A YAML value and where it starts; lists hold Located items, maps hold Entry values."""

    value: Union[str, int, float, bool, None, tuple["Located", ...], dict[str, "Entry"]]
    location: Location


@dataclass(frozen=True)
class Entry:
    """One key of a mapping: the key's own location and its value."""

    key: str
    key_location: Location
    value: Located


class YamlSyntaxError(Exception):
    """Carries the diagnostic for YAML that could not be parsed at all."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


INVALID = object()  # stands in for a value already reported as an error


def parse(text: str, path: str, first_line: int = 1) -> tuple[Located | None, list[Diagnostic]]:
    """Parse one YAML document; `first_line` is the file line the text starts on.

    Raises YamlSyntaxError for unparseable YAML; returns conversion problems
    (bad scalars, duplicate keys, aliases) as diagnostics, with INVALID in
    place of each offending value.
    """
    try:
        if "&" in text or "*" in text:  # cheap test first: most front matter has neither
            _refuse_anchors(text, path, first_line)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise YamlSyntaxError(_syntax_diagnostic(exc, path, first_line)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(error("yaml-syntax", f"invalid YAML: {exc}", Location(path, first_line, 1))) from None
    if node is None:
        return None, []
    converter = _Converter(path, first_line)
    return converter.convert(node), converter.diagnostics


def _refuse_anchors(text: str, path: str, first_line: int) -> None:
    """Anchors and aliases let a few lines expand into gigabytes (an alias bomb); front matter needs neither."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise YamlSyntaxError(error(
                "yaml-alias", "YAML anchors (&name) and aliases (*name) are not allowed in front matter",
                Location(path, first_line + mark.line, mark.column + 1), "write each value out in full"))


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, path: str, first_line: int) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line = first_line + (mark.line if mark else 0)
    col = (mark.column + 1) if mark else 1
    problem = exc.problem or "the text is not valid YAML"
    if exc.context and exc.context_mark and exc.context_mark is not mark:
        problem = f"{problem} ({exc.context} started at line {first_line + exc.context_mark.line})"
    hint = None
    if "mapping values are not allowed" in problem:
        hint = "quote a value that contains ': ', for example summary: \"a: b\""
    elif "found character '\\t'" in problem:
        hint = "indent YAML with spaces, not tabs"
    return error("yaml-syntax", f"invalid YAML: {problem}", Location(path, line, col), hint)


class _Converter:
    def __init__(self, path: str, first_line: int):
        self.path = path
        self.first_line = first_line
        self.diagnostics: list[Diagnostic] = []

    def location(self, node: yaml.Node) -> Location:
        return Location(self.path, self.first_line + node.start_mark.line, node.start_mark.column + 1)

    def fail(self, code: str, message: str, node: yaml.Node, hint: str | None = None) -> Located:
        self.diagnostics.append(error(code, message, self.location(node), hint))
        return Located(INVALID, self.location(node))  # type: ignore[arg-type]

    def convert(self, node: yaml.Node) -> Located:
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in (_TAG + "map", _TAG + "seq"):
            return self.fail("yaml-tag", f"YAML tag '{node.tag}' is not allowed in front matter", node,
                             "remove the tag")
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node)
        if isinstance(node, yaml.SequenceNode):
            items = tuple(self.convert(item) for item in node.value)
            return Located(items, self.location(node))
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode) -> Located:
        entries: dict[str, Entry] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.fail("yaml-alias", "YAML merge keys (<<) are not allowed in front matter", key_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail("wrong-type", "a key must be a plain name", key_node)
                continue
            key = str(key_node.value)
            if key in entries:
                first = entries[key].key_location
                self.fail("duplicate-key", f"duplicate key '{key}': it is already given at line {first.line}",
                          key_node, "remove one of the two")
                continue
            entries[key] = Entry(key, self.location(key_node), self.convert(value_node))
        return Located(entries, self.location(node))

    def scalar(self, node: yaml.ScalarNode) -> Located:
        tag, raw = node.tag, node.value
        here = self.location(node)
        if node.style in ("|", ">"):
            # A block scalar's text starts on the line after its indicator: point there, so
            # problems found inside the text (a Markdown fence, say) land on the right line.
            return Located(raw, Location(self.path, here.line + 1, 1))
        if node.style or tag == _TAG + "str":
            return Located(raw, here)  # quoted scalars are always strings
        if tag == _TAG + "null":
            return Located(None, here)
        if tag == _TAG + "bool":
            if raw.lower() in ("true", "false"):
                return Located(raw.lower() == "true", here)
            return self.fail("yaml-ambiguous", f"'{raw}' would be read as a yes/no value by YAML 1.1", node,
                             f'write true or false, or quote it as text: "{raw}"')
        if tag == _TAG + "int":
            if not _DECIMAL.fullmatch(raw):
                # base 60 (10:00), octal (012), hex, binary: YAML 1.1 would change the digits' meaning
                return self.fail("yaml-ambiguous", f"'{raw}' would be read as a number in another base by YAML 1.1",
                                 node, f'quote it as text: "{raw}"')
            return Located(int(raw), here)
        if tag == _TAG + "float":
            if ":" in raw:
                return self.fail("yaml-ambiguous", f"'{raw}' would be read as a base-60 number by YAML 1.1",
                                 node, f'quote it as text: "{raw}"')
            special = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}
            number = special.get(raw.lower()) if raw.lower() in special else float(raw.replace("_", ""))
            return Located(number, here)
        if tag == _TAG + "timestamp":
            return self.fail("yaml-ambiguous", f"'{raw}' would be read as a date by YAML", node,
                             f'quote it as text: "{raw}"')
        return self.fail("yaml-tag", f"YAML tag '{tag}' is not allowed in front matter", node,
                         "remove the tag")

