#!/usr/bin/env bash
# Run the pytest suite (tests/unit + tests/integration + bench/tests) against one build of the collection.
#   tests/utils/pytest.sh [main|newest|oldest|source] [pytest paths/options]
# main/newest/oldest: imports the collection INSTALLED by build.sh from the built artifact (never the source tree),
#              ansible-playbook in tests sees only that collections path.
# source:      quick dev loop against the working tree through a symlink ansible_collections tree in $TMPDIR.
# Exit 5 from pytest (nothing collected) is a failure: a suite that runs nothing proves nothing.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

mode=${1:-main}
shift || true

case "$mode" in
    main | newest | oldest)
        venv=$(leg_venv "$mode")
        collections=$(leg_build_dir "$mode")/collections
        [ -d "$collections/ansible_collections/taskgate/huaweicloud" ] \
            || die "no installed collection in $collections: run tests/utils/build.sh $mode (make build) first"
        ;;
    source)
        venv=$MAIN_VENV
        collections=${TMPDIR:-/tmp}/taskgate-src-$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)
        mkdir -p "$collections/ansible_collections/taskgate"
        ln -sfn "$REPO_ROOT" "$collections/ansible_collections/taskgate/huaweicloud"
        ;;
    *) die "unknown mode '$mode' (allowed: main, newest, oldest, source)" ;;
esac
[ -x "$venv/bin/python" ] || die "$venv does not exist: run tests/utils/venv.sh first (make venv)"

leg_env "$venv" "$collections"
export PYTHONPATH=$collections

# Fail early if the collection would be imported from anywhere but the tree under test.
"$venv/bin/python" - "$collections" <<'PY'
import os
import sys

import ansible_collections.taskgate.huaweicloud as collection

expected = os.path.realpath(os.path.join(sys.argv[1], "ansible_collections", "taskgate", "huaweicloud"))
found = [os.path.realpath(p) for p in collection.__path__]
if found != [expected]:
    sys.exit("taskgate.huaweicloud would be imported from %s, expected only %s" % (found, expected))
PY

if [ "$#" -eq 0 ]; then
    set -- tests/unit tests/integration tests/simulator/tests bench/tests
fi

cd "$REPO_ROOT"
status=0
"$venv/bin/python" -m pytest -p no:cacheprovider "$@" || status=$?
if [ "$status" -eq 5 ]; then
    die "pytest collected no tests from: $* (exit 5) - a suite that runs nothing proves nothing"
fi
exit "$status"
