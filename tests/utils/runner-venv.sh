#!/usr/bin/env bash
# Create (or reuse) .venv-runner: ansible-runner and ansible-navigator (with ansible-core as in the main leg), pytest
# and Pillow from requirements/runner.txt, for the runner, navigator and browser steps. Kept apart from .venv so
# that navigator's pins (ansible-lint, ansible-builder) never move the test leg's. Instant when nothing changed.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

RUNNER_VENV=${RUNNER_VENV:-$REPO_ROOT/.venv-runner}
python=$(main_python) || die "no Python 3.11 found for $RUNNER_VENV: set PYTHON=/path/to/python3.11"
ensure_venv "$RUNNER_VENV" "$python" "$REPO_ROOT/requirements/runner.txt"
log "runner venv: $RUNNER_VENV (ansible-runner $("$RUNNER_VENV/bin/ansible-runner" --version 2>&1 | tail -n1), $("$RUNNER_VENV/bin/ansible-navigator" --version 2>&1 | head -n1))"
