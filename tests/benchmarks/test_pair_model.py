"""How the suggestions of recurring recommendations scale with the number of recommendations.

Synthetic recommendations are built from the labelled texts of ``seed/data`` (English and
Russian): each is one of those texts with a third of its words dropped at random and a few
words of other texts added, spread over events of ten recommendations. ``pairscore.suggest``
runs over 250, 500, 1,000 and 2,000 of them; printed: seconds, candidate pairs, suggested
pairs, the share of all pairs that were candidates, microseconds per candidate, and the time
ratio of each size to the one before. Made from 178 texts, these recommendations repeat each
other far more than real ones do: a fifth of all pairs are candidates, so the time grows
with the square of the size (a ratio of about 4). The cost per candidate is the figure to
watch; with real recommendations, where few pairs share an informative word, there are far
fewer candidates. Only the counts are asserted.
"""

from __future__ import annotations

import random
import time

from app.followup import cli
from indicators import pairscore
from seed.documented import load_documented

SIZES = (250, 500, 1000, 2000)


def _texts() -> list[str]:
    seed = [r.text for r in load_documented().recommendations]
    return seed + [text for _id, _event, text in cli.read_extra_texts(cli.TEXTS_FILE)]


def _items(n: int, texts: list[str], rng: random.Random) -> list[tuple[str, str, str]]:
    items = []
    for i in range(n):
        words = rng.choice(texts).split()
        kept = [w for w in words if rng.random() > 1 / 3] or words[:1]
        extra = rng.choice(texts).split()
        kept += rng.sample(extra, min(3, len(extra)))
        items.append((f"r{i:05d}", f"e{i // 10:04d}", " ".join(kept)))
    return items


def test_suggestions_scale_with_the_pairs_that_share_something() -> None:
    texts = _texts()
    previous = None
    print()
    print(f"{'texts':>6} {'seconds':>8} {'candidates':>11} {'suggested':>10} {'share':>7} "
          f"{'µs/cand':>8} {'ratio':>6}")
    for n in SIZES:
        items = _items(n, texts, random.Random(n))
        candidates = len(pairscore.Corpus(items).candidates())
        started = time.perf_counter()
        suggested = pairscore.suggest(items)
        elapsed = time.perf_counter() - started
        share = candidates / (n * (n - 1) / 2)
        ratio = f"{elapsed / previous:6.2f}" if previous else "     -"
        per = elapsed / candidates * 1e6
        print(f"{n:6d} {elapsed:8.2f} {candidates:11d} {len(suggested):10d} {share:7.1%} "
              f"{per:8.0f} {ratio}")
        previous = elapsed
        assert 0 < len(suggested) <= candidates
