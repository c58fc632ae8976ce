"""The `%%trace` options table, read from the magic's own argument parser (magic_arguments).

A page that holds the line `<!-- trace options -->` gets the table there, so the documentation
says exactly what `%%trace?` says and cannot drift from it.
"""

import argparse
import textwrap

MARKER = "<!-- trace options -->"


def on_page_markdown(markdown, **kwargs):
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, options_markdown())


def options_markdown():
    from coursekit.tracing.magics import TraceMagics

    parser = TraceMagics.trace.parser
    rows = ["| option | value | default | what it does |", "|---|---|---|---|"]
    for action in parser._actions:
        rows.append("| " + " | ".join(_cells(action)) + " |")
    return f"```text\n{_usage(parser)}\n```\n\n" + "\n".join(rows)


def _usage(parser):
    """argparse's usage line; IPython's parser wraps it as a reStructuredText literal block ('::')."""
    return textwrap.dedent(parser.format_usage().removeprefix("usage:").strip().removeprefix("::").strip("\n"))


def _cells(action):
    name = ", ".join(f"`{option}`" for option in action.option_strings) or f"`{action.dest.upper()}`"
    if action.choices:
        value = " \\| ".join(f"`{choice}`" for choice in action.choices)
    elif action.nargs == 0:
        value = ""
    else:
        value = f"`{action.metavar or action.dest.upper()}`"
    default = "" if action.default in (None, False, argparse.SUPPRESS) else f"`{action.default}`"
    return name, value, default, (action.help or "").replace("|", "\\|")
