"""The `coursekit` command: a thin face over the library's functions."""

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coursekit")
def main():
    """Learn automatic differentiation by building it one scalar at a time."""
