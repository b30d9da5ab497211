"""glossary-ssg: a static site generator for system-design glossaries."""

__version__ = "0.1.0"  # the one place the version is written; pyproject.toml reads it from here
