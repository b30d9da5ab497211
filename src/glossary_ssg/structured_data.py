"""schema.org descriptions of terms and lessons (JSON-LD), for search engines and other readers of pages.

A term is a DefinedTerm in the site's DefinedTermSet; a lesson is a
LearningResource with its educationalLevel and the terms it is about.
"""

from __future__ import annotations

from glossary_ssg.config import SiteConfig
from glossary_ssg.model import Lesson, Term
from glossary_ssg.paths import SitePath

_CONTEXT = "https://schema.org"


def term_set(config: SiteConfig) -> dict:
    return {"@type": "DefinedTermSet", "name": config.title, "url": config.base_url}


def defined_term(term: Term, path: SitePath, config: SiteConfig) -> dict:
    data = {"@context": _CONTEXT, "@type": "DefinedTerm", "name": term.title, "description": term.summary,
            "termCode": term.slug, "url": config.base_url + path, "inDefinedTermSet": term_set(config)}
    if term.aliases:
        data["alternateName"] = list(term.aliases)
    return data


def learning_resource(lesson: Lesson, path: SitePath, config: SiteConfig, terms: list[tuple[Term, SitePath]],
                      area_title: str) -> dict:
    return {
        "@context": _CONTEXT, "@type": "LearningResource", "name": lesson.title, "description": lesson.summary,
        "url": config.base_url + path, "educationalLevel": lesson.level, "learningResourceType": "lesson",
        "inLanguage": config.language, "teaches": area_title,
        "about": [{"@type": "DefinedTerm", "name": term.title, "url": config.base_url + term_path,
                   "inDefinedTermSet": term_set(config)} for term, term_path in terms],
    }
