#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image: a virtual environment
# with coursekit and exactly the dependency versions of requirements.lock, installed from the
# wheels shipped next to this script (no package index is used, every file's hash is checked).
# AUTOGRADER_ROOT, COURSEKIT_VENV and COURSEKIT_PYTHON move it elsewhere for a local dry run.
set -euo pipefail
AUTOGRADER="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$AUTOGRADER/source"
VENV="${COURSEKIT_VENV:-$AUTOGRADER/venv}"
PYTHON="${COURSEKIT_PYTHON:-python3}"

if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip
fi
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-index \
  --find-links "$SOURCE/wheels" --require-hashes -r "$SOURCE/requirements.lock"
"$VENV/bin/coursekit" --version
