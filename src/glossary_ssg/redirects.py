"""Pages at old addresses (redirect_from) that send readers on to where an entry lives now.

GitHub Pages has no server-side redirects, so each old path gets a small page
with a meta refresh, a canonical link and a visible link. An old path that
is also a page, or is claimed twice, is an error at the line that claims it.
"""

from __future__ import annotations

from glossary_ssg.errors import Diagnostic, error
from glossary_ssg.graph import Graph
from glossary_ssg.model import frozen_map
from glossary_ssg.paths import SitePath
from glossary_ssg.site import Page, lesson_path, term_path


def plan_redirects(graph: Graph, pages: tuple[Page, ...]) -> tuple[tuple[Page, ...], tuple[Diagnostic, ...]]:
    taken = {page.path: "a page" for page in pages}
    redirects, problems = [], []
    entries = [(term, term_path(slug)) for slug, term in graph.terms.items()]
    entries += [(lesson, lesson_path(slug)) for slug, lesson in graph.lessons.items()]
    for entry, target in entries:
        for old in entry.redirect_from:
            path = SitePath(old.text)
            if path in taken:
                problems.append(error("redirect-collision", f"redirect_from '{old.text}' is already {taken[path]}",
                                      old.location, "choose the old address this entry really had"))
                continue
            taken[path] = f"a redirect to {target}"
            redirects.append(Page(path, "redirect.html", frozen_map({"target": target, "title": entry.title}),
                                  listed=False))
    return tuple(redirects), tuple(problems)
