#!/usr/bin/env bash
# Run tests of tests/awx or tests/browser with .venv-runner against the BUILT collection (make build):
#   tests/utils/awx-pytest.sh NAME PATHS...   (NAME names the scratch dir build/awx/NAME, kept for inspection)
# The tests install the built artifact themselves with ansible-galaxy, as a user does.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

name=$1
shift
RUNNER_VENV=${RUNNER_VENV:-$REPO_ROOT/.venv-runner}
"$REPO_ROOT/tests/utils/runner-venv.sh"
ls "$BUILD_DIR"/taskgate-huaweicloud-*.tar.gz >/dev/null 2>&1 || die "no built artifact in $BUILD_DIR: run make build first"

export PATH="$RUNNER_VENV/bin:$PATH" ANSIBLE_HOME="$TOOL_HOME/.ansible" BUILD_DIR
unset PYTHONPATH ANSIBLE_COLLECTIONS_PATH
mkdir -p "$BUILD_DIR/awx"
cd "$REPO_ROOT"
status=0
# basetemp under build/: the runner's private data dirs, artifacts and screenshots stay there after the run.
"$RUNNER_VENV/bin/python" -m pytest -p no:cacheprovider --basetemp="$BUILD_DIR/awx/$name" -ra "$@" || status=$?
[ "$status" -ne 5 ] || die "pytest collected no tests from: $* (exit 5)"
exit "$status"
