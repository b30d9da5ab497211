"""Property: the faster ways bodies are rendered give exactly what the straightforward ways give.

Heading ids come from our lean version of Python-Markdown's toc extension,
automatic links from a single pass over a text's words, and block processors,
inline patterns and the fence scanner are probed before they are tried; each
is compared here with the original it replaces, on generated texts.
"""

from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary_ssg.markup.headings import HeadingIds, heading_slug
from glossary_ssg.markup.termlinks import _JOINERS, _TOKEN, MentionMatcher

HEADING_WORDS = ["Main", "main", "A & B", "<em>x</em>", "`code`", "*em*", "[TOC]", "Ünïcödé", "a\u00a0b",
                 "escaped \\*", "concept-map", "glossary-x", "x_1", "1.", "#", "&amp;", "<!-- c -->", "Why"]
LINES = st.one_of(
    st.builds("{} {}".format, st.sampled_from(["#", "##", "###", "####", "#####", "######"]),
              st.lists(st.sampled_from(HEADING_WORDS) | st.text(max_size=6), min_size=0, max_size=4).map(" ".join)),
    st.sampled_from(["[TOC]", "Some text.", "<h2 id=\"x\">Raw</h2>", "<div markdown=\"1\">\n## Inside\n</div>",
                     "Setext\n======", "Two\n---", "- item"]),
    st.text(max_size=20))


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=8).map("\n\n".join), st.sampled_from([1, 2, 4]))
def test_heading_ids_match_the_toc_extension(text: str, base_level: int) -> None:
    stock = markdown.Markdown(extensions=["tables", "sane_lists", "toc", "md_in_html"],
                              extension_configs={"toc": {"baselevel": base_level, "slugify": heading_slug}})
    lean = markdown.Markdown(extensions=["tables", "sane_lists", HeadingIds(baselevel=base_level,
                                                                              slugify=heading_slug), "md_in_html"])
    assert lean.convert(text) == stock.convert(text)
    assert lean.toc_tokens == stock.toc_tokens


def _first_mention(matcher: MentionMatcher, text: str, skip: set[str]):
    """The first mention, found by trying every name length at every word: the plain way."""
    tokens = list(_TOKEN.finditer(text))
    words = [t.group(0) for t in tokens]
    folded = [w.casefold() for w in words]
    for i, first_word in enumerate(folded):
        for n in matcher.lengths.get(first_word, ()):
            end = i + n
            if end > len(tokens):
                continue
            if any(text[tokens[k].end():tokens[k + 1].start()] not in _JOINERS for k in range(i, end - 1)):
                continue
            slug = matcher.exact.get(tuple(words[i:end])) or matcher.folded.get(tuple(folded[i:end]))
            if slug is not None and slug not in skip:
                return tokens[i].start(), tokens[end - 1].end(), slug
    return None


def _every_mention(matcher: MentionMatcher, text: str, skip: set[str]):
    """Mention after mention, each search starting again on the rest of the text."""
    found, offset = [], 0
    while (hit := _first_mention(matcher, text[offset:], skip)) is not None:
        start, end, slug = hit
        found.append((offset + start, offset + end, slug))
        skip.add(slug)
        offset += end
    return found


NAME_WORDS = ["cache", "Cache", "CAP", "REST", "load", "balancer", "Straße", "STRASSE", "two", "phase", "commit",
              "İstanbul", "x", "ǅ"]
names = st.dictionaries(st.lists(st.sampled_from(NAME_WORDS), min_size=1, max_size=3).map(" ".join),
                        st.sampled_from(["a", "b", "c", "d", "e"]), max_size=8)
texts = st.lists(st.sampled_from(NAME_WORDS) | st.sampled_from([" ", "-", "/", ", ", ". ", "\u00a0", "'s", "ß"])
                 | st.text(max_size=4), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(names, texts, st.sets(st.sampled_from(["a", "b", "c"]), max_size=2))
def test_one_pass_finds_the_mentions_a_search_per_mention_finds(mentions: dict, text: str, skip: set) -> None:
    matcher = MentionMatcher(mentions)
    assert matcher.mentions(text, set(skip)) == _every_mention(matcher, text, set(skip))


INLINE_PIECES = ["`code`", "``a ` b``", "\\`", "\\\\`x`", "\\*", "*em*", "**strong**", "_u_", "__uu__", "***both***",
                 "[link](https://example.org)", "[ref][r]", "[r]", "![img](x.png)", "![i][r]", "<https://a.b/c>",
                 "<me@example.org>", "<b>raw</b>", "<!-- c -->", "&amp;", "&#38;", "&nope", "  \n", "[[Wiki]]",
                 "snake_case_word", "2 * 3 * 4", "a [b] c", "!", "[", "]", "(", ")", "<", ">", "\n", " ", "word"]
inline_texts = st.lists(st.sampled_from(INLINE_PIECES) | st.text(max_size=5), max_size=25).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(inline_texts, max_size=4).map("\n\n".join))
def test_probed_inline_patterns_match_the_inline_pass(text: str) -> None:
    from glossary_ssg.markup.inline import QuickInline

    text += "\n\n[r]: https://example.org/r"
    stock = markdown.Markdown(extensions=["tables", "sane_lists", "md_in_html"])
    quick = markdown.Markdown(extensions=["tables", "sane_lists", "md_in_html", QuickInline()])
    assert quick.convert(text) == stock.convert(text)


def test_every_probed_expression_is_one_markdown_uses() -> None:
    """A probe is keyed by a pattern's whole expression; one Markdown no longer uses would never apply."""
    from glossary_ssg.markup.inline import _PROBES

    used = {pattern.getCompiledRegExp().pattern for pattern in markdown.Markdown().inlinePatterns}
    assert set(_PROBES) <= used


BLOCK_PIECES = ["> quoted", ">", "a > b", "# Title", "## Two ##", "#", "x # y", "\\#", "Setext", "===", "---", "- - -",
                "***", "* * *", "___", "_ _ _", "-", "--", "a-b-c-d", "- item", "1. one", "[r]: https://example.org",
                "[r]:", "]:", "[s]:https://example.org/s", "[x]: <u> 'title'", "    code", "\t", "|a|b|", "|-|-|",
                "<div>", "</div>", "text", " ", "\n", "\n\n", "  \n"]
block_texts = st.lists(st.sampled_from(BLOCK_PIECES) | st.text(max_size=5), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(block_texts)
def test_probed_block_processors_match_the_block_parser(text: str) -> None:
    from glossary_ssg.markup.quickblocks import QuickBlocks

    extensions = ["tables", "sane_lists", "md_in_html"]
    stock = markdown.Markdown(extensions=extensions)
    quick = markdown.Markdown(extensions=[*extensions, QuickBlocks()])
    assert quick.convert(text) == stock.convert(text)
    assert quick.references == stock.references


def test_every_probed_block_processor_is_one_markdown_uses() -> None:
    """A probe is keyed by a processor's class and expression; one that Markdown no longer has never applies."""
    from glossary_ssg.markup.quickblocks import REFERENCE, TESTS_HELD, QuickBlocks, expression

    md = markdown.Markdown(extensions=["tables", "sane_lists", "md_in_html", QuickBlocks()])
    used = {(type(processor), expression(processor)) for processor in md.parser.blockprocessors}
    assert {*TESTS_HELD, REFERENCE} <= used


FENCE_PIECES = ["```", "``", "`", "~~~", "~~", "~", "````", "```python", "~~~ mermaid", "   ```", "\t```", "text",
                " ", "\n", "\n\n", "\r\n", "caption=\"A b\""]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FENCE_PIECES) | st.text(max_size=4), max_size=30).map("".join))
def test_probed_fence_scan_matches_the_line_scan(text: str) -> None:
    from glossary_ssg.markup.fences import scan_fences, scan_lines

    assert scan_fences.__wrapped__(text) == scan_lines(text)


INFO_PIECES = ["python", " ", "\t", "linenums", "caption=", '"A b"', "'c d'", "\\", "{", "}", ".mermaid", "=",
               "\x0b", "\x0c", "\x1f", "\u00a0", "é", "#", "x=1"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(INFO_PIECES) | st.text(max_size=3), max_size=8).map("".join))
def test_plain_info_strings_split_as_shlex_splits_them(info: str) -> None:
    """parse_info splits most info strings with str.split; shlex is what it must agree with."""
    import shlex

    from glossary_ssg.markup.fences import parse_info

    def by_shlex(info: str) -> tuple[str, dict[str, str]]:
        info = info.strip().strip("{}").strip()
        try:
            words = shlex.split(info)
        except ValueError:
            words = info.split()
        language = words[0].lstrip(".").lower() if words and "=" not in words[0] else ""
        return language, {key.lstrip("."): value for key, _, value in
                          (word.partition("=") for word in words[1 if language else 0:])}

    assert parse_info(info) == by_shlex(info)
