"""Bytes of a source file to text, with one newline convention, so a BOM or CRLF line ends change nothing."""

from __future__ import annotations

from glossary_ssg.errors import Diagnostic, Location, error


def decode(data: bytes, source: str, empty_hint: str) -> tuple[str, Diagnostic | None]:
    """The text, or a diagnostic for bytes that are not UTF-8 or a file with nothing in it."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return "", error("encoding", f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                         Location(source, line, col), "save the file as UTF-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return "", error("empty-file", "the file is empty", Location(source, 1, 1), empty_hint)
    return text, None
