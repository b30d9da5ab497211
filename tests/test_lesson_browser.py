"""Lessons in a real browser: quiz feedback, score, saved progress, keyboard use, the no-JavaScript
fallback, copy buttons and diagrams that follow the colour scheme."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import build_served, serve
from conftest import entry
from test_quiz_format import GOOD_QUIZ

LESSON_BODY = """
## A diagram

```mermaid
flowchart LR
  A --> B
```

```python
print("hello")
```
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A built site with one lesson and its two-question quiz, under /glossary/."""
    project = tmp_path_factory.mktemp("project")
    (project / "glossary.yml").write_text("title: T\nbase_url: https://example.org/glossary/\n"
                                          "areas: {core: {title: Core, description: C}}\n")
    (project / "content/terms").mkdir(parents=True)
    (project / "content/lessons").mkdir(parents=True)
    (project / "content/terms/alpha.md").write_text(entry("Alpha"))
    (project / "content/lessons/intro.md").write_text(entry("Intro", terms="[alpha]", quiz=GOOD_QUIZ) + LESSON_BODY)
    return build_served(project, tmp_path_factory.mktemp("served"))


@pytest.fixture
def lesson(site, browser):
    """Open the lesson in a fresh browser context (fresh localStorage); yields (page, url)."""
    with serve(site) as origin:
        context = browser.new_context()
        page = context.new_page()
        url = f"{origin}/glossary/lessons/intro/"
        page.goto(url)
        yield page, url
        context.close()


def feedback(page, question: str) -> str:
    return " ".join(page.locator(f"#quiz-{question} .quiz-feedback").inner_text().split())


def test_wrong_then_right_answer(lesson) -> None:
    page, _ = lesson
    page.check("#quiz-pick-one input[value='1']")
    page.click("#quiz-pick-one .quiz-check")
    assert feedback(page, "pick-one") == ("✗ Not quite. Tapes are slow. "
                                          "Try another answer, or open “Show the answer” below.")
    assert "is-incorrect" in page.get_attribute("#quiz-pick-one", "class")
    page.check("#quiz-pick-one input[value='0']")
    page.click("#quiz-pick-one .quiz-check")
    assert feedback(page, "pick-one") == "✓ Correct. Yes, memory is quick. Memory beats tape."
    assert page.get_attribute("#quiz-pick-one .quiz-feedback", "aria-live") == "polite"
    assert page.locator("#quiz-pick-one .quiz-explanation").is_visible()  # shown in place, not copied
    assert page.locator("[id]").evaluate_all("els => els.length") == page.evaluate(
        "new Set([...document.querySelectorAll('[id]')].map(e => e.id)).size")
    assert page.locator(".quiz-score").inner_text() == "1 of 1 answered questions correct; 1 to go."


def test_checking_with_no_choice_asks_for_one(lesson) -> None:
    page, _ = lesson
    page.click("#quiz-pick-many .quiz-check")
    assert feedback(page, "pick-many") == "Choose an answer first."


def test_final_score_and_retry(lesson) -> None:
    page, _ = lesson
    page.check("#quiz-pick-one input[value='0']")
    page.click("#quiz-pick-one .quiz-check")
    page.check("#quiz-pick-many input[value='0']")  # only one of the two right answers
    page.click("#quiz-pick-many .quiz-check")
    assert feedback(page, "pick-many").startswith("✗ Not quite.")
    assert page.locator(".quiz-score").inner_text() == "Your score: 1 out of 2."
    page.check("#quiz-pick-many input[value='1']")
    page.click("#quiz-pick-many .quiz-check")
    assert page.locator(".quiz-score").inner_text() == "Your score: 2 out of 2."
    page.click(".quiz-retry")
    assert page.locator(".quiz-form input:checked").count() == 0
    assert feedback(page, "pick-one") == ""
    assert page.locator(".quiz-summary").is_hidden()
    assert page.evaluate("localStorage.getItem('glossary-quiz:intro')") is None


def test_progress_survives_a_reload(lesson) -> None:
    page, url = lesson
    page.check("#quiz-pick-one input[value='0']")
    page.click("#quiz-pick-one .quiz-check")
    page.goto(url)
    assert page.is_checked("#quiz-pick-one input[value='0']")
    assert feedback(page, "pick-one").startswith("✓ Correct.")
    assert page.locator(".quiz-score").inner_text() == "1 of 1 answered questions correct; 1 to go."
    stored = page.evaluate("JSON.parse(localStorage.getItem('glossary-quiz:intro'))")
    assert stored == {"pick-one": {"selected": [0], "correct": True}}


def test_keyboard_only(lesson) -> None:
    page, _ = lesson
    page.focus("#quiz-pick-one input[value='0']")
    page.keyboard.press("ArrowDown")  # radio groups move with the arrow keys
    assert page.is_checked("#quiz-pick-one input[value='1']")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Tab")  # to the Check button
    assert page.evaluate("document.activeElement.className") == "quiz-check"
    page.keyboard.press("Enter")
    assert feedback(page, "pick-one").startswith("✓ Correct.")
    page.focus("#quiz-pick-many input[value='0']")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # Enter on a choice checks the answer too
    assert feedback(page, "pick-many").startswith("✓ Correct.")


def test_without_javascript_answers_fold_into_details(site, browser) -> None:
    with serve(site) as origin:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{origin}/glossary/lessons/intro/")
        assert page.locator(".quiz-check").first.is_hidden()
        assert page.locator(".copy-button").count() == 0
        answer = page.locator("#quiz-pick-one details.quiz-answer")
        assert answer.is_visible()
        assert page.locator("#quiz-pick-one .quiz-explanation").is_hidden()
        answer.locator("summary").click()
        assert page.locator("#quiz-pick-one .quiz-explanation").inner_text() == "Memory beats tape."
        assert " ".join(answer.inner_text().split()).startswith("Show the answer Correct answer: A cache")
        context.close()


def test_copy_button_copies_the_code(site, browser) -> None:
    with serve(site) as origin:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(f"{origin}/glossary/lessons/intro/")
        button = page.locator(".code-block .copy-button")
        assert button.count() == 1
        button.click()
        page.wait_for_function("document.querySelector('.copy-button').textContent === 'Copied'")
        assert page.locator(".code-block [role=status]").inner_text() == "Code copied to the clipboard"
        assert page.evaluate("navigator.clipboard.readText()") == 'print("hello")'
        context.close()


@pytest.mark.parametrize("scheme, shown, hidden", [("light", "light", "dark"), ("dark", "dark", "light")])
def test_diagram_follows_the_colour_scheme(site, browser, scheme: str, shown: str, hidden: str) -> None:
    with serve(site) as origin:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{origin}/glossary/lessons/intro/")
        assert page.locator(f"#diagram-1 .diagram-{shown} svg").is_visible()
        assert page.locator(f"#diagram-1 .diagram-{hidden} svg").is_hidden()
        box = page.locator(f"#diagram-1 .diagram-{shown} svg").bounding_box()
        assert box["width"] > 50 and box["height"] > 20
        context.close()
