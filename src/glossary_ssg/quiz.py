"""Check a lesson's `quiz:` front matter and turn it into Questions.

Each problem is reported at its own line: a missing or duplicate id, fewer
than two choices, a repeated choice, no correct choice, an unknown key.
"""

from __future__ import annotations

import re

from glossary_ssg.errors import Diagnostic, Location, error
from glossary_ssg.located_yaml import INVALID, Located
from glossary_ssg.model import Choice, Question
from glossary_ssg.paths import is_slug, slugify
from glossary_ssg.suggest import did_you_mean

# A choice sits inside a <label>, which may hold only inline content.
_BLOCK_MARKDOWN = re.compile(r"^\s*([-*+] |\d+[.)] |#{1,6}\s|>|```|~~~|\|)")
QUESTION_KEYS = {"id": True, "prompt": True, "choices": True, "explanation": True}  # key -> required
CHOICE_KEYS = {"text": True, "correct": False, "feedback": False}


def parse_quiz(items: tuple[Located, ...]) -> tuple[tuple[Question, ...], list[Diagnostic]]:
    questions, problems, seen_ids = [], [], {}
    for item in items:
        question, found = _question(item)
        problems += found
        if question is None:
            continue
        if question.id in seen_ids:
            problems.append(error("quiz", f"question id '{question.id}' is already used at line "
                                          f"{seen_ids[question.id]}", _entry_location(item, "id"),
                                  "each question needs its own id"))
            continue
        seen_ids[question.id] = _entry_location(item, "id").line
        questions.append(question)
    return tuple(questions), problems


def _entry_location(item: Located, key: str) -> Location:
    entries = item.value if isinstance(item.value, dict) else {}
    return entries[key].value.location if key in entries else item.location


def _question(item: Located) -> tuple[Question | None, list[Diagnostic]]:
    if not isinstance(item.value, dict):
        return None, [error("quiz", "each quiz question must have an id, prompt, choices and explanation",
                            item.location)]
    problems = _check_keys(item, QUESTION_KEYS, "question")
    texts = {key: _text(item, key, problems) for key in ("id", "prompt", "explanation")}
    question_id = texts["id"]
    if question_id and not is_slug(question_id):
        problems.append(error("quiz", f"question id '{question_id}' must be lowercase words joined by hyphens",
                              _entry_location(item, "id"), f"write '{slugify(question_id) or 'q1'}'"))
    choices = _choices(item, problems)
    if problems or None in texts.values() or choices is None:
        return None, problems
    return Question(question_id, texts["prompt"], choices, texts["explanation"],
                    prompt_line=_entry_location(item, "prompt").line,
                    explanation_line=_entry_location(item, "explanation").line), problems


def _check_keys(item: Located, allowed: dict[str, bool], what: str) -> list[Diagnostic]:
    problems = []
    for key, entry in item.value.items():
        if key not in allowed:
            problems.append(error("quiz", f"unknown key '{key}' in a quiz {what}", entry.key_location,
                                  did_you_mean(key, allowed) or f"allowed keys: {', '.join(allowed)}"))
    for key, required in allowed.items():
        if required and key not in item.value:
            problems.append(error("quiz", f"quiz {what} is missing '{key}'", item.location))
    return problems


def _text(item: Located, key: str, problems: list[Diagnostic]) -> str | None:
    entry = item.value.get(key)
    if entry is None or entry.value.value is INVALID:
        return None
    value = entry.value.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)  # a number is fine as a prompt or a choice
    if not isinstance(value, str) or not value.strip():
        problems.append(error("quiz", f"'{key}' must be text", entry.value.location))
        return None
    return value.strip()


def _choices(item: Located, problems: list[Diagnostic]) -> tuple[Choice, ...] | None:
    entry = item.value.get("choices")
    if entry is None:
        return None
    if not isinstance(entry.value.value, tuple):
        problems.append(error("quiz", "'choices' must be a list of {text, correct, feedback}", entry.value.location))
        return None
    choices, seen = [], {}
    unknown_correctness = False
    for choice_item in entry.value.value:
        if not isinstance(choice_item.value, dict):
            problems.append(error("quiz", "each choice must have a text", choice_item.location,
                                  "write - text: ...  (add correct: true on the right ones)"))
            continue
        problems += _check_keys(choice_item, CHOICE_KEYS, "choice")
        text = _text(choice_item, "text", problems)
        feedback = _text(choice_item, "feedback", problems) if "feedback" in choice_item.value else ""
        correct = choice_item.value.get("correct")
        if correct is not None and correct.value.value is INVALID:
            unknown_correctness = True  # already reported by the YAML reader
        elif correct is not None and not isinstance(correct.value.value, bool):
            unknown_correctness = True
            problems.append(error("quiz", "'correct' must be true or false", correct.value.location))
        if text is None or feedback is None:
            continue
        key = " ".join(text.casefold().split())
        if key in seen:
            problems.append(error("quiz", f"choice '{text}' is listed twice (first at line {seen[key]})",
                                  _entry_location(choice_item, "text"), "remove one of them"))
            continue
        text_line = _entry_location(choice_item, "text").line
        if _BLOCK_MARKDOWN.match(text) or "\n" in text:
            problems.append(error("quiz", "a choice must be one line of inline Markdown", Location(
                choice_item.location.path, text_line, 1), "move lists, headings or code blocks into the prompt"))
            continue
        seen[key] = text_line
        choices.append(Choice(text, bool(correct and correct.value.value is True), feedback, text_line,
                              _entry_location(choice_item, "feedback").line if feedback else 0))
    if len(entry.value.value) < 2:
        problems.append(error("quiz", "a question needs at least two choices", entry.key_location))
    elif choices and not unknown_correctness and not any(choice.correct for choice in choices):
        problems.append(error("quiz", "no choice is marked correct", entry.key_location,
                              "add 'correct: true' to the right choice"))
    return tuple(choices)
