"""The `coursekit` command: thin faces over the library's functions, one module per family.

Each command imports what it needs when it runs, so `coursekit --help` and the grader start fast.
"""

import click

from coursekit import DISTRIBUTION
from coursekit.cli.course import assign_command, release_command
from coursekit.cli.errors import NeedsExtras
from coursekit.cli.gpt import gpt
from coursekit.cli.grading import adjust_command, check, grade
from coursekit.cli.term import gradebook_command, hand_back_command, report_command
from coursekit.cli.tour import demo_command, gradcheck_command


@click.group(cls=NeedsExtras, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=DISTRIBUTION)
def main():
    """Learn automatic differentiation by building it one scalar at a time."""


for command in (adjust_command, assign_command, check, demo_command, gpt, grade, gradebook_command, gradcheck_command,
                hand_back_command, release_command, report_command):
    main.add_command(command)
