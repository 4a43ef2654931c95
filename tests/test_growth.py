"""No input a contributor can write makes a tool take more than linear time: ten times the input, at
most twenty times the time (linear is ten; quadratic, which each of these once was, is a hundred).

Ratios, not seconds: each case is timed at two sizes in the same run, best of a few runs, so a
slow machine slows both alike; and in this process's CPU time, so that another process taking the
core (the other half of `make test`) between the two timings does not count. The cases are the classes of slow input found so far, in
the analysis renderer (run by the checker and by every build) and in the checker as a whole.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from conftest import TinySite, claim_path
from factcheck.reading import analysis

BUDGET = 20.0  # the largest time ratio allowed for ten times the input
FAST = claim_path("works-fast")
FAST_BODY = "A small randomised trial found improvement within hours [@berman2000, p. 352].\n"


def _best(run: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def _ratio(make: Callable[[int], object], run: Callable[[object], object], small: int, repeat: int = 3) -> tuple[float, float]:
    one, ten = make(small), make(10 * small)
    run(one)  # imports and caches warmed before timing
    return _best(lambda: run(one), repeat), _best(lambda: run(ten), repeat)


# Bodies that Python-Markdown took quadratic time (or the stack) on, and the renderer's own steps.
# Each with the size its timing starts at: enough for a quadratic cost to show at ten times it.
BODIES: dict[str, tuple[Callable[[int], str], int]] = {
    "unclosed brackets": (lambda n: "[" * n + " text\n\nSee [a](https://example.org) [@berman2000].\n", 2000),
    "links never closed": (lambda n: "[a](" * n + "\n", 1000),
    "nested brackets": (lambda n: "[" * n + "x" + "]" * n + "\n", 1000),
    "deep lists": (lambda n: "".join("  " * min(i, 200) + "- x\n" for i in range(n)), 600),
    "equal headings": (lambda n: "# Results\n\n" * n, 500),
    "footnotes": (lambda n: "".join(f"x[^{i}]\n\n[^{i}]: y\n\n" for i in range(n)), 200),
    "lines of <a": (lambda n: "<a x\n" * n, 2000),
    "emphasis never closed": (lambda n: "*a _b " * n + "\n", 2000),
    "a wide table": (lambda n: "|" + "a|" * n + "\n|" + "-|" * n + "\n" + ("|" + "x|" * n + "\n") * 3, 200),
    "entities": (lambda n: "&#x41; &amp " * n + "\n", 2000),
}


@pytest.mark.parametrize(("make", "small"), BODIES.values(), ids=BODIES.keys())
def test_rendering_an_analysis_takes_linear_time(make: Callable[[int], str], small: int) -> None:
    one, ten = _ratio(make, lambda body: analysis.render(str(body), ()), small)
    assert ten / one <= BUDGET, f"{one:.3f} s for the input, {ten:.3f} s for ten times it"


def _with_body(tiny: TinySite, body: str) -> None:
    text = (tiny.root / FAST).read_text(encoding="utf-8")
    head = text[: text.index("---\n", 4) + 4]
    (tiny.root / FAST).write_text(head + body, encoding="utf-8")


CHECKED_BODIES: dict[str, Callable[[int], str]] = {
    "brackets before a link": lambda n: "[" * n + " text\n\nSee [a](https://example.org) [@berman2000].\n",
    "lines starting with <a": lambda n: "<a href=x\n" * n + "\n[@berman2000]\n",
    "an unclosed bracket before many @": lambda n: "[" + "@a " * n + "\n\nFinally [@berman2000].\n",
}


@pytest.mark.parametrize("make", CHECKED_BODIES.values(), ids=CHECKED_BODIES.keys())
def test_the_checker_takes_linear_time_on_a_body(tiny: TinySite, make: Callable[[int], str]) -> None:
    # Each size is its own site state: the body is written before each timing.
    def run(body: object) -> object:
        _with_body(tiny, str(body))
        return tiny.check("--no-cache")

    one, ten = _ratio(make, run, 4000, repeat=2)
    assert ten / one <= BUDGET, f"{one:.3f} s for the input, {ten:.3f} s for ten times it"


def test_the_checker_takes_linear_time_on_many_front_matter_keys(tiny: TinySite) -> None:
    def run(count: object) -> object:
        text = (tiny.root / FAST).read_text(encoding="utf-8")
        keys = "".join(f"k{i}: 1\n" for i in range(int(str(count))))
        (tiny.root / FAST).write_text("---\n" + keys + text[4:], encoding="utf-8")
        result = tiny.check("--no-cache")
        (tiny.root / FAST).write_text(text, encoding="utf-8")
        return result

    one, ten = _ratio(lambda n: n, run, 2000, repeat=2)
    assert ten / one <= BUDGET, f"{one:.3f} s for the input, {ten:.3f} s for ten times it"


def test_the_checker_takes_linear_time_on_a_large_bib(tiny: TinySite) -> None:
    entry = ("@article{{gen{i},\n  author = {{Author, Ann and Other, Bob}},\n  title = {{A {{generated}} title number {i}}},\n"
             "  journal = {{J}},\n  year = {{2000}},\n  doi = {{10.1000/gen.{i}}},\n  design = {{rct}},\n}}\n\n")

    def run(count: object) -> object:
        tiny.write("references/generated.bib", "".join(entry.format(i=i) for i in range(int(str(count)))))
        return tiny.check("--no-cache")

    one, ten = _ratio(lambda n: n, run, 300, repeat=1)
    assert ten / one <= BUDGET, f"{one:.3f} s for the input, {ten:.3f} s for ten times it"
