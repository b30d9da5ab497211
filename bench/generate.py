"""Generate a deterministic synthetic glossary of N terms and N/10 lessons in glossary-ssg's format.

Realistic in shape: every term has a definition, aliases for some, two to five see-also links, a body of
a few hundred words with headings, a code block in about a third of the pages; every lesson has a
diagram, a quiz, references and prerequisites. The same N always gives the same files.

Lessons cycle through DIAGRAM_SHAPES distinct diagrams, so warming the diagram cache costs the same at
any N, and concept maps are off (each would be one more Mermaid render per term): the benchmark
measures the build around a warm diagram cache, as the targets ask.

    python bench/generate.py 10000 /tmp/glossary-10k [--no-diagrams]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

AREAS = ["architecture", "consistency", "networking", "storage", "caching", "messaging", "reliability",
         "security", "performance", "interfaces"]
LEVELS = ["foundation", "intermediate", "advanced"]
WORDS = ("request replica partition queue latency throughput cache index shard leader follower quorum token "
         "gateway proxy client server service message event stream log snapshot commit rollback lease timeout "
         "retry budget window bucket schema version contract endpoint payload header session cookie "
         "certificate key secret policy role tenant region zone cluster node pod container image deploy "
         "rollout canary metric trace span alert incident capacity load balance route hash ring ordering").split()
ADJECTIVES = ("adaptive bounded causal durable elastic eventual global hierarchical idempotent incremental "
              "layered lazy local optimistic ordered partial pessimistic regional replicated sharded stateful "
              "stateless strict tiered transient versioned weighted").split()


def term_title(index: int, rng: random.Random) -> str:
    return f"{rng.choice(ADJECTIVES).title()} {rng.choice(WORDS).title()} {index}"


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS + ADJECTIVES) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def slug_of(title: str) -> str:
    return title.lower().replace(" ", "-")


DIAGRAM_SHAPES = 20


def generate(count: int, out: Path, diagrams: bool = True) -> None:
    """Write the glossary; without `diagrams` the lessons have none (for tests that must not need Mermaid)."""
    rng = random.Random(count)
    lesson_count = max(1, count // 10)
    titles = [term_title(i, rng) for i in range(count)]
    slugs = [slug_of(t) for t in titles]
    lesson_titles = [f"Lesson {i}: {rng.choice(ADJECTIVES).title()} {rng.choice(WORDS).title()}s"
                     for i in range(lesson_count)]
    lesson_slugs = [f"lesson-{i}" for i in range(lesson_count)]
    (out / "content/terms").mkdir(parents=True, exist_ok=True)
    (out / "content/lessons").mkdir(parents=True, exist_ok=True)
    areas = "".join(f"  {a}:\n    title: {a.title()}\n    description: All about {a}.\n" for a in AREAS)
    switches = "concept_maps: false\n"
    (out / "glossary.yml").write_text(f"title: Synthetic Glossary\nbase_url: https://example.org/glossary/\n"
                                      f"description: {count} generated terms.\n{switches}areas:\n{areas}")
    for i, (title, slug) in enumerate(zip(titles, slugs)):
        see_also = sorted({slugs[(i + step) % count] for step in (1, 2, 7, 31)[:rng.randint(2, 4)]} - {slug})
        aliases = f'\naliases: ["{title} pattern"]' if i % 3 == 0 else ""
        lesson = f"\nlesson: {lesson_slugs[i % lesson_count]}"
        code = (f"\n```python\ndef {slug.replace('-', '_')}(request):\n    return handle(request, retries=3)\n```\n"
                if i % 3 == 1 else "")
        body = (f"## Why it exists\n\n{paragraph(rng)}\n\n## How it works\n\n{paragraph(rng)}\n{code}\n"
                f"## Trade-offs\n\n{paragraph(rng)}\n\n## Example\n\n{paragraph(rng, 3)}\n")
        front = (f"---\ntitle: {title}\nsummary: {sentence(rng, 22)}\nlevel: {LEVELS[i % 3]}\n"
                 f"area: {AREAS[i % len(AREAS)]}{aliases}\ntags: [{rng.choice(WORDS)}]{lesson}\n"
                 f"see_also: [{', '.join(see_also)}]\n---\n")
        (out / f"content/terms/{slug}.md").write_text(front + body)
    for j, (title, slug) in enumerate(zip(lesson_titles, lesson_slugs)):
        covered = [slugs[k] for k in range(j, count, lesson_count)][:12]
        prerequisites = f"[{lesson_slugs[j - 1]}]" if j % 5 else "[]"
        quiz = "\n".join(
            f"  - id: q{q}\n    prompt: \"{sentence(rng, 8)}\"\n    choices:\n"
            f"      - text: \"{sentence(rng, 5)}\"\n        correct: true\n      - text: \"{sentence(rng, 6)}\"\n"
            f"    explanation: \"{sentence(rng, 10)}\"" for q in range(5))
        shape = j % DIAGRAM_SHAPES
        diagram = (f"```mermaid\nflowchart LR\n  accTitle: Request flow {shape}\n  accDescr: How requests move "
                   f"through shape {shape}.\n  A[Client {shape}] --> B[Service] --> C[(Store {shape})]\n```\n")
        body = "\n\n".join(f"## Part {p}\n\n{paragraph(rng, 6)}" for p in range(4))
        front = (f"---\ntitle: \"{title}\"\nsummary: {sentence(rng, 16)}\nlevel: {LEVELS[j % 3]}\n"
                 f"area: {AREAS[j % len(AREAS)]}\nterms: [{', '.join(covered)}]\nprerequisites: {prerequisites}\n"
                 f"references:\n  - title: Reference {j}\n    url: https://example.org/{j}\n    note: Background.\n"
                 f"quiz:\n{quiz}\n---\n")
        (out / f"content/lessons/{slug}.md").write_text(
            front + body + "\n\n" + (diagram if diagrams else "") + "\n```python\nprint(1)\n```\n")


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]), diagrams="--no-diagrams" not in sys.argv[3:])
