"""Lets `python -m glossary_ssg` behave exactly like the `glossary` command."""

from glossary_ssg.cli import run

if __name__ == "__main__":  # diagram workers re-import this module; only the real entry point runs
    run()
