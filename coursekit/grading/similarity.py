"""Similarity review: which submissions are nearly the same as another student's, or as coursekit's
own reference engine? Flagged for an instructor to read, never marked down automatically.

The comparison is copydetect's (winnowed fingerprints of the code with names normalised, as in
MOSS); the exercise's skeleton is boilerplate, so the code every student was given does not count.
Needs the `instructor` extra: pip install 'coursekit-autodiff[instructor]'.
"""

import html
import io
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from string import Template

from coursekit.files import write_atomically

TEMPLATE = Path(__file__).parent / "templates" / "similarity.html"
REFERENCE = "coursekit's reference engine"
THRESHOLD = 0.9   # the share of one side's code found in the other that earns a flag
MIN_SHARED = 100  # fingerprints in common (about 100 characters of code), so a few stock lines are not a copy
NOISE = 25        # copydetect's default: matches shorter than this many characters are noise
SHOWN = 50        # pairs shown side by side in the report (all are listed in its table)
INSTALL = "similarity review needs copydetect: pip install 'coursekit-autodiff[instructor]'"


class SimilarityUnavailable(RuntimeError):
    """copydetect is not installed."""


@dataclass(frozen=True)
class Pair:
    first: str
    second: str
    first_share: float    # how much of first's code is found in second
    second_share: float
    prints: tuple         # the two copydetect fingerprints, to show the shared code

    @property
    def share(self):
        return max(self.first_share, self.second_share)


def reference_engine():
    """The source of coursekit's own engine, which a submission must not be a copy of."""
    from coursekit import engine

    return Path(engine.__file__).read_text(encoding="utf-8")


def similar_pairs(sources, references=None, boilerplate="", threshold=THRESHOLD, of=None):
    """The pairs at or above `threshold`, most similar first.

    sources: {student: code}; references: {name: code} compared with every student but not with
    each other; boilerplate: code given to every student (ignored in the comparison); of: one
    student whose pairs alone are compared (a replay of their row), None for every pair. A share is
    the fraction of one side's fingerprints (every normalised 25-character stretch of its code)
    that the other side has too: with copydetect's fingerprints taken at every position, that is
    its share of copied code, at the cost of a set intersection per pair.
    """
    try:
        from copydetect import CodeFingerprint
    except ImportError:
        raise SimilarityUnavailable(INSTALL) from None
    skeleton = CodeFingerprint("skeleton.py", NOISE, 1, fp=io.StringIO(boilerplate)).hashes if boilerplate else set()
    prints = {name: CodeFingerprint(f"{name}.py", NOISE, 1, boilerplate=list(skeleton), fp=io.StringIO(code))
              for name, code in {**sources, **(references or {})}.items()}
    candidates = [*combinations(sorted(sources), 2), *((name, ref) for name in sorted(sources) for ref in references or {})]
    candidates = [pair for pair in candidates if of is None or of in pair]
    pairs = []
    for first, second in candidates:
        mine, theirs = prints[first].hashes, prints[second].hashes
        shared = len(mine & theirs)
        if shared >= MIN_SHARED and shared >= threshold * min(len(mine), len(theirs)):
            pairs.append(Pair(first, second, shared / len(mine), shared / len(theirs), (prints[first], prints[second])))
    return sorted(pairs, key=lambda pair: (-pair.share, pair.first, pair.second))


def flags(pairs, most=5):
    """{student: "bob 97%; coursekit's reference engine 100%"} for the gradebook's similar_to column
    (the `most` closest, then how many more)."""
    found = {}
    for pair in pairs:  # closest first
        for me, other, share in ((pair.first, pair.second, pair.first_share), (pair.second, pair.first, pair.second_share)):
            found.setdefault(me, []).append(f"{other} {share:.0%}")
    return {name: "; ".join(items[:most]) + (f"; and {len(items) - most} more" if len(items) > most else "")
            for name, items in found.items()}


def write_report(path, pairs):
    """A self-contained HTML page: the table of pairs, then the closest pairs' code side by side."""
    rows = "".join(f'<tr><td>{_e(p.first)}</td><td>{_e(p.second)}</td>'
                   f'<td class="num">{p.first_share:.0%}</td><td class="num">{p.second_share:.0%}</td></tr>'
                   for p in pairs)
    table = (f"<table><tr><th>submission</th><th>similar to</th><th>its code found there</th>"
             f"<th>and the other way</th></tr>{rows}</table>") if pairs else "<p>No pair is similar enough to flag.</p>"
    if len(pairs) > SHOWN:
        table += f"<p>The {SHOWN} closest pairs are shown below.</p>"
    write_atomically(path, Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        body=table + "".join(_side_by_side(pair) for pair in pairs[:SHOWN])))


def _side_by_side(pair):
    """The pair's code, the shared stretches marked (copydetect's own comparison and highlighting)."""
    from copydetect import compare_files
    from copydetect.utils import highlight_overlap

    _, _, slices = compare_files(*pair.prints)
    columns = []
    for name, fingerprint, found in zip((pair.first, pair.second), pair.prints, slices):
        code = _e(fingerprint.raw_code)
        if len(found) and found.shape[-1]:
            code = highlight_overlap(fingerprint.raw_code, found, '<span class="same">', "</span>", escape_html=True)[0]
        columns.append(f"<div><h3>{_e(name)}</h3><pre>{code}</pre></div>")
    return f'<section><h2>{_e(pair.first)} and {_e(pair.second)}</h2><div class="pair">{"".join(columns)}</div></section>'


def _e(text):
    return html.escape(str(text))
