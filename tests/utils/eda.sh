#!/usr/bin/env bash
# The EDA step: the real ansible-rulebook runs extensions/eda/rulebooks/remediate_failed_jobs.yml against the
# simulator (tests/eda), with the collection installed by build.sh.
#   tests/utils/eda.sh [pytest options, e.g. -k bad_source]
# ansible-rulebook lives in its own venv, .venv-eda ($EDA_VENV), from requirements/eda.txt on Python 3.11:
# its dependencies must not mix with .venv. pytest itself (and the simulator) run from .venv, as in pytest.sh.
# ansible-rulebook needs Java >= 17 (drools): without one this step exits 77 (skipped) and says so.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$here/common.sh"

EDA_VENV=${EDA_VENV:-$REPO_ROOT/.venv-eda}

java_major() {
    # "openjdk version "17.0.15" 2025-04-15" -> 17; "java version "1.8.0_402"" -> 8
    java -version 2>&1 | sed -n 's/.* version "\([0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2/p' | head -n1 \
        | awk '{ print ($1 == 1 ? $2 : $1) }'
}

if ! command -v java >/dev/null 2>&1; then
    log "skipping eda: ansible-rulebook needs Java >= 17 and 'java' is not on PATH (Debian/Ubuntu: apt-get install openjdk-17-jre-headless)"
    exit "$SKIPPED"
fi
major=$(java_major)
if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    log "skipping eda: ansible-rulebook needs Java >= 17, 'java -version' says: $(java -version 2>&1 | head -n1)"
    exit "$SKIPPED"
fi

python=$(main_python) || die "no Python 3.11 found for $EDA_VENV; set PYTHON=/path/to/python3.11"
ensure_venv "$EDA_VENV" "$python" "$REPO_ROOT/requirements/eda.txt"
log "eda venv: $EDA_VENV (ansible-rulebook $("$EDA_VENV/bin/ansible-rulebook" --version 2>/dev/null | head -n1 | tr -d '[]' | awk '{print $2}'), java $major)"

export EDA_VENV
exec "$here/pytest.sh" main tests/eda "$@"
