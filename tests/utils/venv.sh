#!/usr/bin/env bash
# Create (or reuse) the virtualenv of a test leg from its pinned requirements.
#   tests/utils/venv.sh [main|newest|oldest]
# main:   .venv        from requirements/dev.txt    on Python 3.11 ($PYTHON overrides)
# newest: .venv-newest from requirements/newest.txt on the newest Python >= 3.12 ($NEWEST_PYTHON overrides);
#         exits 77 (skipped) when there is none.
# oldest: .venv-oldest from requirements/oldest.txt on Python 3.11 ($OLDEST_PYTHON overrides): ansible-core 2.16,
#         the floor meta/runtime.yml declares.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

leg=${1:-main}
venv=$(leg_venv "$leg")
requirements=$(leg_requirements "$leg")

if [ "$leg" = main ]; then
    python=$(main_python) || die "no Python 3.11 found: looked for python3.11 in $(pyenv_versions_dir || echo '<no pyenv>') and on PATH, and python3 3.11-3.13; set PYTHON=/path/to/python3.11"
elif [ "$leg" = oldest ]; then
    python=$(oldest_python) || die "no Python 3.11 found for the oldest leg: looked for python3.11 in $(pyenv_versions_dir || echo '<no pyenv>') and on PATH; set OLDEST_PYTHON=/path/to/python3.11"
else
    if ! python=$(newest_python); then
        versions_dir=$(pyenv_versions_dir || true)
        log "skipping newest leg: no Python >= 3.12 found (looked in ${versions_dir:+$versions_dir/3.1[234].* and }python3.14/python3.13/python3.12 on PATH; set NEWEST_PYTHON to use one)"
        exit "$SKIPPED"
    fi
fi

[ -n "$(python_version_of "$python")" ] || die "$python does not run (check PYTHON / NEWEST_PYTHON)"
ensure_venv "$venv" "$python" "$requirements"
log "$leg venv: $venv ($("$venv/bin/python" --version 2>&1), ansible-core $("$venv/bin/python" -c 'import ansible; print(ansible.__version__)'))"
