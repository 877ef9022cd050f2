#!/usr/bin/env bash
# Build the collection artifact with the leg's ansible-galaxy and install it into a fresh collections path.
#   tests/utils/build.sh [main|newest|oldest]
# main:   build/taskgate-huaweicloud-*.tar.gz        -> build/collections/ansible_collections/taskgate/huaweicloud
# newest: build/newest/taskgate-huaweicloud-*.tar.gz -> build/newest/collections/...
# oldest: build/oldest/taskgate-huaweicloud-*.tar.gz -> build/oldest/collections/...
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

leg=${1:-main}
venv=$(leg_venv "$leg")
[ -x "$venv/bin/ansible-galaxy" ] || die "$venv has no ansible-galaxy: run tests/utils/venv.sh $leg (make venv) first"
collections=$(build_collection "$venv" "$(leg_build_dir "$leg")")
log "installed $(basename "$(find "$(leg_build_dir "$leg")" -maxdepth 1 -name 'taskgate-huaweicloud-*.tar.gz')") into $collections"
