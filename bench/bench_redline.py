"""Benchmark: the redline of a 30-page policy against its revision, with plain difflib on the raw text as the
baseline, in the same run.

    .venv/bin/python bench/bench_redline.py [--paragraphs 300] [--repeat 3] [--no-pdf] [--out FILE.pdf]

A generated policy (30 sections of a heading and ten paragraphs of about 50 words: some 15,000 words, about 30
printed pages) as an HTML page, and its revision with scattered edits: words replaced, inserted and deleted in one
paragraph in twelve, three paragraphs removed, three added, a heading renamed. Measured, each the best of --repeat:

* blocks: both pages read into blocks (evidence.tracked.text.blocks_from_html: lxml, with its bounds);
* redline: the blocks aligned and the changed ones compared word by word (evidence.tracked.redline.redline);
* target: blocks + redline under 2 s (what the redline page and the command wait for before rendering);
* baseline: difflib's SequenceMatcher over the word tokens of the two texts run together, as evidence.editions.words
  tokenises them (what a redline without blocks would run), on the same text, once (it takes minutes);
* pdf, apart: the redline PDF (evidence.tracked.redline_pdf), WeasyPrint's layout of the whole text, once.

No database: the PDF's matter is an unsaved Matter. Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetimeline.test_settings")

TARGET_SECONDS = 2.0
_VOCABULARY = (
    "we collect use share store process personal data information member members account profile content services "
    "platform partners affiliates advertising measurement security legal obligations consent settings choices "
    "rights access delete correct object restrict portability transfer countries safeguards retention period "
    "purposes legitimate interests research development improve features artificial intelligence models training "
    "generative providers vendors cookies similar technologies location device network messages connections jobs "
    "learning recruiters premium subscription payment billing communications notices updates changes effective"
)
VOCABULARY = _VOCABULARY.split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(10, 18))]
    return " ".join(words).capitalize() + "."


def policy(paragraphs: int, seed: int = 11) -> list[tuple[str, str]]:
    """(kind, text) blocks: a heading every ten paragraphs."""
    rng = random.Random(seed)
    blocks = [("h1", "Privacy Policy")]
    for n in range(paragraphs):
        if n % 10 == 0:
            blocks.append(("h2", f"{n // 10 + 1}. " + " ".join(rng.choice(VOCABULARY) for _ in range(3)).title()))
        blocks.append(("p", " ".join(_sentence(rng) for _ in range(rng.randint(3, 4)))))
    return blocks


def revise(blocks: list[tuple[str, str]], seed: int = 12) -> list[tuple[str, str]]:
    """Scattered edits, as a policy's yearly revision makes them."""
    rng = random.Random(seed)
    out = []
    for i, (kind, text) in enumerate(blocks):
        if kind == "p" and i % 12 == 5:
            words = text.split()
            for _ in range(3):
                at = rng.randrange(len(words))
                change = rng.choice(("replace", "insert", "delete"))
                if change == "replace":
                    words[at] = rng.choice(VOCABULARY)
                elif change == "insert":
                    words[at:at] = [rng.choice(VOCABULARY) for _ in range(rng.randint(1, 6))]
                elif len(words) > 8:
                    del words[at : at + rng.randint(1, 4)]
            text = " ".join(words)
        if kind == "p" and i in (40, 150, 260):
            continue  # a paragraph removed
        out.append((kind, text))
        if kind == "p" and i in (70, 180, 290):
            out.append(("p", " ".join(_sentence(rng) for _ in range(3))))  # one added
        if kind == "h2" and i == 100:
            out[-1] = (kind, text + " and Your Choices")
    return out


def html(blocks: list[tuple[str, str]]) -> bytes:
    body = "\n".join(f"<{k}>{t}</{k}>" for k, t in blocks)
    page = f"<!DOCTYPE html><html><head><title>Privacy Policy</title><script>var x = 1;</script></head><body>{body}"
    return (page + "</body></html>").encode()


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--out", help="Keep the redline PDF here.")
    args = parser.parse_args()

    import django

    django.setup()
    from evidence.editions.words import tokens
    from evidence.tracked.redline import redline
    from evidence.tracked.text import blocks_from_html

    old = policy(args.paragraphs)
    new = revise(old)
    old_html, new_html = html(old), html(new)
    words = sum(len(t.split()) for _, t in old)
    print(
        f"Policy: {len(old)} blocks, {words:,} words, {len(old_html) / 1024:.0f} KB of HTML; revision {len(new)} blocks"
    )

    t_blocks, (a, b) = best(lambda: (blocks_from_html(old_html), blocks_from_html(new_html)), args.repeat)
    t_redline, result = best(lambda: redline(a, b), args.repeat)
    old_text = "\n\n".join(t for _, t in old)
    new_text = "\n\n".join(t for _, t in new)

    def baseline():
        matcher = difflib.SequenceMatcher(None, tokens(old_text), tokens(new_text), autojunk=False)
        return matcher.get_opcodes()

    t_base, opcodes = best(baseline, 1)  # once: it takes minutes
    total = t_blocks + t_redline
    print(f"Redline: {result.summary}")
    print(f"  text blocks (both pages)  {t_blocks * 1000:8.0f} ms")
    print(f"  redline                   {t_redline * 1000:8.0f} ms")
    print(f"  blocks + redline          {total * 1000:8.0f} ms   target < {TARGET_SECONDS:.0f} s: "
          f"{'met' if total < TARGET_SECONDS else 'MISSED'}")  # fmt: skip
    print(f"  baseline: difflib on the raw text's word tokens {t_base * 1000:8.0f} ms "
          f"({sum(1 for o in opcodes if o[0] != 'equal')} changed stretches, no paragraphs); "
          f"ours / baseline = {total / t_base:.4f} (the baseline {t_base / total:,.0f} times slower)")  # fmt: skip
    if not args.no_pdf:
        t_pdf, pages, size = pdf(result, args.out)
        print(f"  PDF (apart)               {t_pdf * 1000:8.0f} ms   {pages} pages, {size / 1024:.0f} KB")


def pdf(result, out: str | None) -> tuple[float, int, int]:
    import io

    from pypdf import PdfReader

    from evidence.models import Matter
    from evidence.tracked.comparison import SourceComparison, VersionFacts
    from evidence.tracked.redline_pdf import render_source_redline

    matter = Matter(slug="bench", short_title="Bench v. Mark", court="United States District Court, N.D. Cal.",
                    case_number="5:25-cv-00001", parties="Bench, Plaintiff,\nv.\nMark, Defendant.",
                    time_zone="America/Los_Angeles", exhibit_prefix="PX-")  # fmt: skip

    url = "https://example.com/legal/privacy-policy"

    def facts(n: int, effective: str) -> VersionFacts:
        return VersionFacts(exhibit=f"PX-{n}", exhibit_number=n, document_id=n, title=f"Privacy Policy ({effective})",
                            filename=f"policy-{n}.html", media_type="text/html", capture_method="Upload",
                            captured="", effective=effective, first_seen="", audiences=(), sha256=f"{n:064x}",
                            url=url)  # fmt: skip

    comparison = SourceComparison(matter=matter, source="Privacy Policy", kind="Policy", url=url,
                                  illustrative=True, older=facts(1, "2023"), newer=facts(2, "Sept 2024"),
                                  redline=result)  # fmt: skip
    started = time.perf_counter()
    content = render_source_redline(comparison, user=None, chain_head="empty")
    elapsed = time.perf_counter() - started
    if out:
        Path(out).write_bytes(content)
    return elapsed, len(PdfReader(io.BytesIO(content)).pages), len(content)


if __name__ == "__main__":
    main()
