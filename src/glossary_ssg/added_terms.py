"""A term a quick build adds, renames or removes: the names it claims or gives up, and the files whose bodies
may mention them.

A new term file claims its slug, title and aliases; a term whose title or
aliases changed gives up the names it held and claims its own again, and one
whose file went gives up its names. Claimed
as names.NameIndex claims them, they change the stored names
(site_snapshot.name_facts) in the order a full build lists them; a name
another term holds is a clash the full build reports, so it raises
NotAddable. Bodies link names automatically where they mention them, so
every other content file is read and each one that holds a changed name
(markup.name_changes, the check full builds use on remembered bodies) has its
body and quiz rendered again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from glossary_ssg.model import Term
from glossary_ssg.names import LinkNames

Names = tuple[dict, dict, dict]  # casefolded names, mentions as written, titles: the snapshot's "names" fact


class NotAddable(Exception):
    """A name is already another term's, or too many names changed to look for them: the full build runs."""


def with_names(names: Names, aliases: dict[str, tuple[str, ...]], terms: Iterable[Term], gone: Iterable[str] = ()
               ) -> tuple[Names, dict[str, tuple[str, ...]]]:
    """The names and the search index's aliases with the terms' own claimed: a new term's added, and a term
    retitled or with other aliases giving up the names it held for the ones it has now. The terms whose slugs
    are `gone` (their files went) give up theirs."""
    terms, gone = list(terms), set(gone)
    slugs = {term.slug for term in terms} | gone
    folded = {name: slug for name, slug in names[0].items() if slug not in slugs}
    mentions = {name: slug for name, slug in names[1].items() if slug not in slugs}
    titles = {slug: title for slug, title in names[2].items() if slug not in gone}
    aliases = {slug: found for slug, found in aliases.items() if slug not in slugs}
    for term in terms:
        claims = [term.slug, *([term.title] if term.title else []), *term.aliases]
        for index, name in enumerate(claims):
            holder = folded.setdefault(name.casefold(), term.slug)
            if holder != term.slug:
                raise NotAddable
            if index:  # titles and aliases, not the slug, are found in running text
                mentions[name] = term.slug
        titles[term.slug] = term.title
        if term.aliases:
            aliases[term.slug] = term.aliases
    return (dict(sorted(folded.items())), dict(sorted(mentions.items())), dict(sorted(titles.items()))), \
        dict(sorted(aliases.items()))


def files_mentioning(project_dir: Path, sources: Iterable[str], before: LinkNames, after: LinkNames
                     ) -> dict[str, bytes]:
    """Each of these content files (unchanged since the last build) whose text holds a name that changed,
    with its bytes. Its whole text is looked at, front matter too: a file looked at needlessly only renders
    its body and quiz again. A front matter with an escape or a [[link]] in it is also looked at as YAML reads
    it: a quiz's `[[Ze\\x62ra]]` or a link folded over two lines holds a name its bytes do not."""
    from glossary_ssg.markup.name_changes import name_change  # Markdown: only when a term is added
    change = name_change(before, after)
    if change is None:
        raise NotAddable
    found = {}
    for source in sources:
        with open(os.path.join(project_dir, source), "rb") as file:
            data = file.read()
        text = data.decode("utf-8", "surrogateescape")
        if not change.leaves(text) or not change.leaves(_front_matter_as_read(text)):
            found[source] = data
    return found


def _front_matter_as_read(text: str) -> str:
    """The strings of a front matter that YAML would read otherwise than it is written (an escape, a line
    folded into a [[link]]), one a line; otherwise nothing. One that cannot be read is all of the text."""
    if not text.startswith("---"):
        return ""
    front = text.split("\n---", 1)[0]
    if "\\" not in front and "[[" not in front:
        return ""
    import yaml
    try:
        loaded = yaml.load(front[3:], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return text  # the full build reports it
    return "\n".join(_strings(loaded))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (*_strings(key), *_strings(item))]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []
