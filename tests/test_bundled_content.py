"""The bundled glossary meets its own bar: size, coverage, links, lessons with diagrams, references and quizzes."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import ROOT

from glossary_ssg.diagrams.describe import diagram_kind
from glossary_ssg.markup.fences import scan_fences
from glossary_ssg.pipeline import Options, check_sources


@pytest.fixture(scope="module")
def graph():
    graph, diagnostics = check_sources(Options(ROOT, strict=True))
    assert diagnostics == ()
    return graph


def test_at_least_120_terms_in_at_least_8_areas_each_at_every_level(graph) -> None:
    assert len(graph.terms) >= 120
    used = [area for area, members in graph.areas.items() if members.terms]
    assert len(used) >= 8
    for area in used:
        levels = {graph.terms[slug].level for slug in graph.areas[area].terms}
        assert levels == set(graph.config.levels), area


def test_every_term_is_written_out_and_linked(graph) -> None:
    for slug, term in graph.terms.items():
        assert len(graph.see_also[slug]) >= 2, slug
        assert len(term.summary) <= 300, slug
        assert not term.summary.lower().startswith(term.title.lower() + " is"), slug  # CONTRIBUTING.md
        words = len(re.findall(r"\w+", term.body))
        assert 200 <= words <= 600, (slug, words)
        for heading in ("## Why it exists", "## How it works", "## Trade-offs", "## Example"):
            assert heading in term.body, (slug, heading)


def test_at_least_15_lessons_that_teach(graph) -> None:
    assert len(graph.lessons) >= 15
    for slug, lesson in graph.lessons.items():
        kinds = {diagram_kind(f.code) for f in scan_fences(lesson.body) if f.language == "mermaid"}
        assert len(kinds) >= 2, (slug, kinds)
        assert len(lesson.references) >= 3, slug
        assert all(ref.url.startswith("https://") or ref.url.startswith("http://") for ref in lesson.references)
        assert len(lesson.quiz) >= 5, slug
        assert all(question.explanation for question in lesson.quiz), slug
        assert graph.lesson_terms[slug], slug


def test_lessons_form_learning_paths(graph) -> None:
    with_prerequisites = [slug for slug in graph.lessons if graph.prerequisites[slug]]
    assert len(with_prerequisites) >= 5
    areas_with_paths = Counter(graph.lessons[slug].area for slug in with_prerequisites)
    assert len(areas_with_paths) >= 4


def test_aliases_are_used(graph) -> None:
    assert sum(bool(term.aliases) for term in graph.terms.values()) >= 60
