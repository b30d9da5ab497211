"""Lets `python -m glossary_ssg` behave exactly like the `glossary` command."""

from glossary_ssg.cli import main

main()
