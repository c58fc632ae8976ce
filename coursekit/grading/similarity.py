"""Similarity review: which submissions are nearly the same as another student's, or as coursekit's
own reference engine? Flagged for an instructor to read, never marked down automatically.

The comparison is copydetect's (winnowed fingerprints of the code with names normalised, as in
MOSS); the exercise's skeleton is boilerplate, so the code every student was given does not count.
Needs the `instructor` extra: pip install 'coursekit[instructor]'.
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
NOISE = 25        # copydetect's defaults: matches shorter than this many characters are noise
INSTALL = "similarity review needs copydetect: pip install 'coursekit[instructor]'"


class SimilarityUnavailable(RuntimeError):
    """copydetect is not installed."""


@dataclass(frozen=True)
class Pair:
    first: str
    second: str
    first_share: float    # how much of first's code is found in second
    second_share: float
    first_html: str       # the code, HTML-escaped, shared parts marked
    second_html: str

    @property
    def share(self):
        return max(self.first_share, self.second_share)


def reference_engine():
    """The source of coursekit's own engine, which a submission must not be a copy of."""
    from coursekit import engine

    return Path(engine.__file__).read_text(encoding="utf-8")


def similar_pairs(sources, references=None, boilerplate="", threshold=THRESHOLD):
    """The pairs at or above `threshold`, most similar first.

    sources: {student: code}; references: {name: code} compared with every student but not with
    each other; boilerplate: code given to every student (ignored in the comparison).
    """
    try:
        from copydetect import CodeFingerprint
    except ImportError:
        raise SimilarityUnavailable(INSTALL) from None
    skeleton = CodeFingerprint("skeleton.py", NOISE, 1, fp=io.StringIO(boilerplate)).hashes if boilerplate else set()
    prints = {name: CodeFingerprint(f"{name}.py", NOISE, 1, boilerplate=list(skeleton), fp=io.StringIO(code))
              for name, code in {**sources, **(references or {})}.items()}
    candidates = [*combinations(sorted(sources), 2), *((name, ref) for name in sorted(sources) for ref in references or {})]
    pairs = [_compare(first, second, prints) for first, second in candidates]
    return sorted((pair for pair in pairs if pair and pair.share >= threshold), key=lambda pair: -pair.share)


def _compare(first, second, prints):
    from copydetect import compare_files
    from copydetect.utils import highlight_overlap

    overlap, (share1, share2), (slices1, slices2) = compare_files(prints[first], prints[second])
    if not overlap:
        return None
    marked = [highlight_overlap(prints[name].raw_code, slices, '<span class="same">', "</span>", escape_html=True)[0]
              for name, slices in ((first, slices1), (second, slices2))]
    return Pair(first, second, float(share1), float(share2), *marked)


def flags(pairs):
    """{student: "bob 97%; coursekit's reference engine 100%"} for the gradebook's similar_to column."""
    found = {}
    for pair in pairs:
        for me, other, share in ((pair.first, pair.second, pair.first_share), (pair.second, pair.first, pair.second_share)):
            found.setdefault(me, []).append(f"{other} {share:.0%}")
    return {name: "; ".join(items) for name, items in found.items()}


def write_report(path, pairs):
    """A self-contained HTML page: the table of pairs, then each pair's code side by side."""
    rows = "".join(f'<tr><td><a href="#pair{i}">{_e(p.first)}</a></td><td>{_e(p.second)}</td>'
                   f'<td class="num">{p.first_share:.0%}</td><td class="num">{p.second_share:.0%}</td></tr>'
                   for i, p in enumerate(pairs))
    table = (f"<table><tr><th>submission</th><th>similar to</th><th>its code found there</th>"
             f"<th>and the other way</th></tr>{rows}</table>") if pairs else "<p>No pair is similar enough to flag.</p>"
    sections = "".join(
        f'<section id="pair{i}"><h2>{_e(p.first)} and {_e(p.second)}</h2><div class="pair">'
        f"<div><h3>{_e(p.first)}</h3><pre>{p.first_html}</pre></div>"
        f"<div><h3>{_e(p.second)}</h3><pre>{p.second_html}</pre></div></div></section>"
        for i, p in enumerate(pairs))
    write_atomically(path, Template(TEMPLATE.read_text(encoding="utf-8")).substitute(body=table + sections))


def _e(text):
    return html.escape(str(text))
