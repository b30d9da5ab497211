"""A new private file beside where it will be renamed to, as tempfile.mkstemp makes one.

tempfile imports shutil, random and more, a tenth of the start-up of a
rebuild that writes a dozen files; this is the one call the rebuild needs.
"""

from __future__ import annotations

import os


def new_file(folder: str | os.PathLike, prefix: str) -> tuple[int, str]:
    """(an open descriptor, its path): readable and writable by this user only (0600)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        path = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}")
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")
