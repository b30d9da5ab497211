"""After an update, the output tree is known from the files written or removed and the folders holding
them, without listing every folder again (writer.tree_after_update)."""

from __future__ import annotations

import shutil

from hypothesis import given, settings
from hypothesis import strategies as st

from glossary_ssg.writer import MARKER, output_tree, tree_after_update, update_site

PATHS = ["index.html", "terms/a/index.html", "terms/b/index.html", "terms/b/extra.json", "tags/x/index.html",
         "search/text.json", "deep/er/still/page.html"]


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(PATHS)), st.sets(st.sampled_from(PATHS)), st.sets(st.sampled_from(PATHS)))
def test_the_tree_after_an_update_is_the_tree_as_listed(tmp_path_factory, before, written, removed) -> None:
    out = tmp_path_factory.mktemp("out") / "site"
    out.mkdir()
    (out / MARKER).write_bytes(b"x")
    update_site(out, {name: b"old" for name in sorted(before)}, ())
    files, folders = output_tree(out)
    removed = (removed & before) - written
    changed = {name: b"new " + name.encode() for name in sorted(written)}
    update_site(out, changed, removed)
    assert tree_after_update(out, files, folders, changed, removed) == output_tree(out)
    shutil.rmtree(out)
