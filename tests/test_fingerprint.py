"""Digests of the data pages are rendered from: equal values digest the same, different ones differ, and the
bytes digested load back as the value (fingerprint.value_bytes)."""

from __future__ import annotations

import pickle

from glossary_ssg.fingerprint import of_value, value_bytes
from glossary_ssg.markup.render import RenderedChoice, RenderedQuestion
from glossary_ssg.model import Area, frozen_map
from glossary_ssg.recipes import Derived, Part
from glossary_ssg.site import Card, Page


def page(slug: str, *see_also: str) -> Page:
    return Page(f"terms/{slug}/", "term.html", frozen_map({
        "term": Part("entry", "term", slug),
        "see_also": tuple(Part("card", "term", other) for other in see_also),
        "previews": Derived(len, (Part("links", "term", slug), tuple(see_also))),
    }))


def test_what_is_digested_loads_back_as_the_value() -> None:
    area = Area("core", "Core", "The core area.")
    values = [page("cap", "acid", "base"), Card("term", "cap", "terms/cap/", "CAP", "A theorem.", "advanced", area),
              RenderedQuestion("q1", "<p>Why?</p>", (RenderedChoice("<p>A</p>", True, ""),), "", False), area]
    for value in values:
        loaded = pickle.loads(value_bytes(value))
        assert loaded == value and type(loaded) is type(value)


def test_equal_values_digest_the_same_and_different_ones_differ() -> None:
    shared = "acid"
    assert of_value(page("cap", shared, shared)) == of_value(page("cap", "ac" + "id", "aci" + "d"))
    digests = {of_value(value) for value in [
        page("cap", "acid"), page("cap", "base"), page("cap"), page("base", "acid"),
        Part("card", "term", "cap"), ("card", "term", "cap"), Part("entry", "term", "cap"),
        Card("term", "cap", "terms/cap/", "CAP", "A theorem.", "advanced", Area("core", "Core", "")),
        Card("term", "cap", "terms/cap/", "CAP", "A theorem.", "advanced", Area("core", "Core", "x")),
    ]}
    assert len(digests) == 9  # a part is not the plain tuple of its fields
