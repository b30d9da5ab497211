"""Quiz front matter is validated at its lines and renders as a form that works without JavaScript."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import entry, run_cli

GOOD_QUIZ = """
  - id: pick-one
    prompt: "Which is **fast**?"
    choices:
      - text: "A `cache`"
        correct: true
        feedback: Yes, memory is quick.
      - text: A tape
        feedback: Tapes are slow.
    explanation: Memory beats tape.
  - id: pick-many
    prompt: Select all that apply.
    choices:
      - text: Redis
        correct: true
      - text: Memcached
        correct: true
      - text: Punched cards
    explanation: Both are in-memory stores."""


def lesson_site(make_site, quiz: str) -> Path:
    return make_site({
        "content/terms/alpha.md": entry("Alpha"),
        "content/lessons/intro.md": entry("Intro", terms="[alpha]", quiz=quiz),
    })


def test_valid_quiz_renders_as_a_form(make_site, tmp_path: Path) -> None:
    project = lesson_site(make_site, GOOD_QUIZ)
    result = run_cli("build", project, "-o", tmp_path / "out", "--strict")
    assert result.exit_code == 0, result.stderr
    soup = BeautifulSoup((tmp_path / "out/lessons/intro/index.html").read_text(), "html.parser")
    form = soup.select_one("form.quiz-form[data-quiz=intro]")
    first, second = form.select("fieldset.quiz-question")
    assert first["data-question"] == "pick-one"
    assert [i["type"] for i in first.select("input")] == ["radio", "radio"]
    assert [i["type"] for i in second.select("input")] == ["checkbox"] * 3
    assert first.select_one(".quiz-prompt strong").get_text() == "fast"
    assert first.select_one("label code").get_text() == "cache"
    # without JavaScript the answer and explanation are there, folded
    answer = first.select_one("details.quiz-answer")
    assert answer.summary.get_text() == "Show the answer"
    assert " ".join(answer.select_one(".quiz-correct-answer").get_text().split()) == "Correct answer: A cache"
    assert answer.select_one(".quiz-explanation").get_text(strip=True) == "Memory beats tape."
    assert "Correct answers: Redis; Memcached" in " ".join(second.get_text().split())
    assert first.select_one(".quiz-controls")["hidden"] == ""
    assert soup.find("script", src="/assets/quiz.js") is not None


def test_quiz_errors_point_at_their_lines(make_site) -> None:
    quiz = """
  - id: first
    prompt: No right answer here
    choices:
      - text: A
      - text: B
    explanation: x
  - id: first
    prompt: Duplicate id and too few choices
    choices:
      - text: Only one
        correct: true
    explanation: x
  - id: third
    prompt: Repeated choice
    choices:
      - text: Same
        correct: true
      - text: same
    explanation: x
    hint: not a key"""
    result = run_cli("check", lesson_site(make_site, quiz))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/lessons/intro.md:10:5: error: no choice is marked correct (add 'correct: true' to the right choice)",
        "content/lessons/intro.md:16:5: error: a question needs at least two choices",
        "content/lessons/intro.md:25:15: error: choice 'same' is listed twice (first at line 23) (remove one of them)",
        "content/lessons/intro.md:27:5: error: unknown key 'hint' in a quiz question (allowed keys: id, prompt, "
        "choices, explanation)",
        "4 errors, 0 warnings",
    ]


def test_duplicate_question_id(make_site) -> None:
    quiz = """
  - id: same
    prompt: One
    choices: [{text: a, correct: true}, {text: b}]
    explanation: x
  - id: same
    prompt: Two
    choices: [{text: a, correct: true}, {text: b}]
    explanation: x"""
    result = run_cli("check", lesson_site(make_site, quiz))
    assert result.stderr.splitlines()[0] == (
        "content/lessons/intro.md:12:9: error: question id 'same' is already used at line 8 "
        "(each question needs its own id)")


def test_question_needs_every_part(make_site) -> None:
    quiz = """
  - id: Bad Id
    choices: [{text: a, correct: yes}, {text: b}]"""
    result = run_cli("check", lesson_site(make_site, quiz))
    assert result.stderr.splitlines() == [
        "content/lessons/intro.md:8:5: error: quiz question is missing 'explanation'",
        "content/lessons/intro.md:8:5: error: quiz question is missing 'prompt'",
        "content/lessons/intro.md:8:9: error: question id 'Bad Id' must be lowercase words joined by hyphens "
        "(write 'bad-id')",
        "content/lessons/intro.md:9:34: error: 'yes' would be read as a yes/no value by YAML 1.1 "
        "(write true or false, or quote it as text: \"yes\")",
        "4 errors, 0 warnings",
    ]
