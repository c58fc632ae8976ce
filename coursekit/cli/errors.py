"""Exit code 2 for bad usage or unreadable input: one line on stderr, one wording everywhere."""

import click


def exit_bad_input(message):
    """Print `Error: message` (Click's own wording for usage errors) and exit with code 2."""
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(2)


def or_exit_bad_input(function, *args, errors=(ValueError, OSError), **kwargs):
    """Call a library function; the input errors it raises become exit code 2."""
    try:
        return function(*args, **kwargs)
    except errors as error:
        exit_bad_input(error)
