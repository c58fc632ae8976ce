"""The class report's plots, drawn with matplotlib straight to SVG (no pyplot, no window, no state).

Text stays text in the SVG (svg.fonttype none) so the page is small and searchable; the hash salt
and the absent date make the same data draw the same bytes.
"""

import io
import textwrap

COLOR, ACCENT = "#3f6fb5", "#c0392b"
STYLE = {"svg.fonttype": "none", "svg.hashsalt": "coursekit", "font.size": 10, "axes.spines.top": False,
         "axes.spines.right": False}


def histogram(values, low, high, title, xlabel, bins=20):
    """How many values fall in each of `bins` equal ranges from low to high."""
    figure, axes = _figure(title)
    axes.hist(values, bins=bins, range=(low, high if high > low else low + 1), color=COLOR, edgecolor="white")
    axes.set_xlabel(xlabel)
    axes.set_ylabel("students")
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _svg(figure)


def bars(counts, title, xlabel, percent=False, alarm=None, wrap=48):
    """One horizontal bar per label, the first on top; labels wrapped to `wrap` characters.

    `percent`: the values are shares (0..1) drawn as percentages; bars at `alarm` or above are red.
    """
    labels = ["\n".join(textwrap.wrap(str(label), wrap)[:3]) for label in counts]
    height = max(2.2, 0.5 + 0.42 * sum(label.count("\n") + 1 for label in labels))
    figure, axes = _figure(title, height)
    values = [100 * value for value in counts.values()] if percent else list(counts.values())
    positions = range(len(labels))[::-1]
    axes.barh(list(positions), values, color=[ACCENT if alarm is not None and value >= alarm else COLOR for value in values])
    axes.set_yticks(list(positions), labels)
    axes.set_xlabel(xlabel)
    if percent:
        axes.set_xlim(0, 100)
    else:
        axes.xaxis.get_major_locator().set_params(integer=True)
    for position, value in zip(positions, values):
        axes.annotate(f"{value:.0f}%" if percent else f"{value:g}", (value, position), xytext=(3, 0),
                      textcoords="offset points", va="center", fontsize=9)
    return _svg(figure)


def _figure(title, height=2.8):
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(STYLE)
    figure = Figure(figsize=(7.5, height), layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, loc="left", fontsize=11, fontweight="bold")
    return figure, axes


def _svg(figure):
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    return text[text.index("<svg"):]  # the page inlines it: no XML prologue or doctype
