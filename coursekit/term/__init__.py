"""Running a term: the roster, late policy, the course gradebook and its exports, the class report,
feedback release and sharded grading. One idea per module; the CLI faces are in coursekit.cli.term."""
