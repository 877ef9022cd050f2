#!/usr/bin/env bash
# ansible-test sanity on a snapshot of the working tree (git-tracked + untracked-but-not-ignored files, so
# work is checked before it is committed). Extra arguments go to ansible-test, e.g. --test pylint.
#   tests/utils/sanity.sh [ansible-test sanity options]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

[ -x "$MAIN_VENV/bin/ansible-test" ] || die "$MAIN_VENV has no ansible-test: run make venv first"
python_version=$(python_version_of "$MAIN_VENV/bin/python")

# Kept under build/ between runs so ansible-test's delegation venv (tests/output/.tmp) is reused.
tree=$BUILD_DIR/sanity/ansible_collections/taskgate/huaweicloud
snapshot_tree "$tree"

mkdir -p "$TOOL_HOME"
install_get_pip_standin "$TOOL_HOME"

cd "$tree"
# The venv's bin first: ansible-test finds python$python_version there and resolves the real interpreter
# behind it, instead of a pyenv shim.
HOME=$TOOL_HOME PATH="$MAIN_VENV/bin:$PATH" \
    ansible-test sanity --venv --python "$python_version" --color no "$@"
