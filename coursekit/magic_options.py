"""What %%trace and %check share: reading a magic's options, and naming the one a student mistyped.

Imported by the magics only, so IPython loads with `%load_ext coursekit`, never with `import coursekit`.
"""

import difflib
import re

from IPython.core.error import UsageError
from IPython.core.magic_arguments import parse_argstring


def parse_options(magic, line, called, advice):
    """The arguments of `magic` in `line`; a mistake is one UsageError: `called`, what was wrong, then `advice`."""
    try:
        return parse_argstring(magic, line)
    except UsageError as error:
        said = did_you_mean(str(error), magic.parser)
        stop = "" if said.endswith("?") else "."
        raise UsageError(f"{called}: {said}{stop} {advice}") from None


def did_you_mean(message, parser):
    """argparse's `unrecognized arguments: --gard` as `unknown option --gard; did you mean --grad?`."""
    found = re.match(r"unrecognized arguments: (.*)", message)
    unknown = [word for word in found.group(1).split() if word.startswith("-")] if found else []
    if not unknown:
        return message
    options = sorted(set(re.findall(r"(?<![\w-])--?[a-z][\w-]*", parser.format_help())))
    said = []
    for word in unknown:
        near = difflib.get_close_matches(word.split("=")[0], options, n=1, cutoff=0.6)
        said.append(f"unknown option {word}" + (f"; did you mean {near[0]}?" if near else ""))
    return "; ".join(said)
