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


# The optional extras of pyproject.toml, by the module a command imports from them.
EXTRA_OF_MODULE = {"IPython": "notebook", "graphviz": "notebook", "nbformat": "notebook",
                   "matplotlib": "plots", "nbclient": "instructor"}


class NeedsExtras(click.Group):
    """A group whose commands, when one needs a module of an extra that is not installed, exit 2
    with the pip command that installs it, instead of a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ModuleNotFoundError as error:
            module = (error.name or "").split(".")[0]
            if module not in EXTRA_OF_MODULE:
                raise
            from coursekit import DISTRIBUTION

            extra = EXTRA_OF_MODULE[module]
            command = ctx.invoked_subcommand or "this command"
            exit_bad_input(f"`coursekit {command}` needs {module}, from the `{extra}` extra: "
                           f"pip install '{DISTRIBUTION}[{extra}]'")
