#!/usr/bin/env bash
# Create (or reuse) .venv-docs: the docs and publishing tools (antsibull-docs, Sphinx, ansible-builder,
# galaxy-importer) from requirements/docs.txt, on the main leg's Python 3.11 ($PYTHON overrides).
# Kept apart from .venv so that these tools' pins never move the test leg's. Instant when nothing changed.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

python=$(main_python) || die "no Python 3.11 found for $DOCS_VENV: set PYTHON=/path/to/python3.11"
ensure_venv "$DOCS_VENV" "$python" "$REPO_ROOT/requirements/docs.txt"
log "docs venv: $DOCS_VENV ($("$DOCS_VENV/bin/python" --version 2>&1), antsibull-docs $("$DOCS_VENV/bin/antsibull-docs" --version 2>&1))"
