"""Untrusted files: hostile YAML, encodings, symlinks and clashing names are errors with the file and line."""

from __future__ import annotations

import hashlib
import os
import time
import unicodedata
from pathlib import Path

import pytest
from conftest import copy_site, entry, run_cli

from glossary_ssg.writer import _safe_relative


def check(project: Path) -> list[str]:
    return run_cli("check", project).stderr.splitlines()


def test_yaml_python_tags_are_refused(valid_site: Path) -> None:
    (valid_site / "content/terms/evil.md").write_text(
        "---\ntitle: !!python/object/apply:os.system [echo pwned]\nsummary: s\n---\n")
    assert ("content/terms/evil.md:2:8: error: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
            "allowed in front matter (remove the tag)") in check(valid_site)


def test_yaml_alias_bomb_is_refused_at_once(valid_site: Path) -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, "
                                                   f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(9)]
    (valid_site / "content/terms/bomb.md").write_text("---\n" + "\n".join(bomb) + "\n---\n")
    started = time.perf_counter()
    lines = check(valid_site)
    assert time.perf_counter() - started < 10
    assert lines[0] == ("content/terms/bomb.md:2:4: error: YAML anchors (&name) and aliases (*name) are not "
                        "allowed in front matter (write each value out in full)")


def test_bom_and_crlf_change_nothing(valid_site: Path, tmp_path: Path) -> None:
    assert run_cli("build", valid_site, "-o", tmp_path / "plain").exit_code == 0
    for path in (valid_site / "content").rglob("*.md"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert run_cli("build", valid_site, "-o", tmp_path / "crlf").exit_code == 0

    def digest(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}
    assert digest(tmp_path / "plain") == digest(tmp_path / "crlf")


def test_symlink_out_of_the_project_is_an_error(valid_site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(entry("Secret"))
    (valid_site / "content/terms/secret.md").symlink_to(secret)
    assert check(valid_site)[0] == ("content/terms/secret.md:1:1: error: this symlink leads outside the project; "
                                    "it is not read (replace it with the file itself)")


def test_symlinked_content_folder_out_of_the_project_is_an_error(valid_site: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (valid_site / "content/lessons").rename(elsewhere)
    (valid_site / "content/lessons").symlink_to(elsewhere)
    assert check(valid_site)[0] == ("content/lessons:1:1: error: content/lessons leads outside the project "
                                    "(content must live inside the project, not behind a symlink)")


def test_symlink_inside_the_project_is_read(valid_site: Path) -> None:
    (valid_site / "drafts").mkdir()
    (valid_site / "content/terms/cache-invalidation.md").rename(valid_site / "drafts/cache-invalidation.md")
    (valid_site / "content/terms/cache-invalidation.md").symlink_to(valid_site / "drafts/cache-invalidation.md")
    assert run_cli("check", valid_site, "--strict").exit_code == 0


def test_theme_symlink_out_of_the_project_is_not_published(valid_site: Path, tmp_path: Path) -> None:
    config = valid_site / "glossary.yml"
    config.write_text(config.read_text().replace("theme: default", "theme: house"))
    static = valid_site / "themes/house/static"
    static.mkdir(parents=True)
    (tmp_path / "id_rsa").write_text("PRIVATE KEY")
    (static / "key.txt").symlink_to(tmp_path / "id_rsa")
    result = run_cli("build", valid_site, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert "themes/house/static/key.txt: warning: this symlink leads outside its theme; it is not published" in (
        result.stderr)
    assert not (tmp_path / "out/key.txt").exists()


def test_names_differing_only_by_case_are_an_error(valid_site: Path) -> None:
    (valid_site / "content/terms/Cache.md").write_text(entry("Cache two"))
    lines = check(valid_site)
    assert "content/terms/cache.md:1:1: error: 'cache.md' and 'Cache.md' differ only by letter case or Unicode " \
           "form (content/terms/Cache.md) (rename one of them)" in lines


def test_names_differing_only_by_unicode_form_are_an_error(valid_site: Path) -> None:
    composed, decomposed = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    (valid_site / f"content/terms/{composed}.md").write_text(entry("Cafe one"))
    try:
        (valid_site / f"content/terms/{decomposed}.md").write_text(entry("Cafe two"))
    except OSError:
        pytest.skip("this file system normalises names itself")
    if len(list((valid_site / "content/terms").glob("caf*.md"))) < 2:
        pytest.skip("this file system normalises names itself")
    lines = check(valid_site)
    assert any("differ only by letter case or Unicode form" in line for line in lines)


def test_output_paths_cannot_leave_the_output_folder() -> None:
    for bad in ("../escape.html", "/etc/passwd", "a/../../b", ""):
        with pytest.raises(ValueError):
            _safe_relative(bad)
    assert _safe_relative("terms/x/index.html") == Path("terms/x/index.html")


def test_home_folder_is_never_emptied(valid_site: Path, tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    (home / "photos").mkdir(parents=True)
    (home / "photos/cat.jpg").write_bytes(b"meow")
    monkeypatch.setenv("HOME", str(home))
    result = run_cli("build", valid_site, "-o", os.path.expanduser("~"))
    assert result.exit_code == 2
    assert (home / "photos/cat.jpg").read_bytes() == b"meow"


def test_unreadable_file_is_reported(valid_site: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = valid_site / "content/terms/cache.md"
    path.chmod(0)
    assert check(valid_site)[0].startswith("content/terms/cache.md:1:1: error: the file cannot be read")


def test_dotfiles_and_other_files_in_content_folders(valid_site: Path) -> None:
    (valid_site / "content/terms/.gitkeep").write_text("")
    (valid_site / "content/terms/notes.txt").write_text("todo")
    assert check(valid_site)[:2] == [
        "content/terms/notes.txt:1:1: warning: ignored: only .md files directly in terms/ are read",
        "0 errors, 1 warning"]


def test_folder_named_like_a_file_is_ignored_with_a_warning(tmp_path: Path) -> None:
    project = copy_site(tmp_path)
    (project / "content/terms/odd.md").mkdir()
    assert "content/terms/odd.md:1:1: warning: ignored" in run_cli("check", project).stderr
