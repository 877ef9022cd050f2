#!/usr/bin/env bash
# ansible-test sanity on a snapshot of the working tree (git-tracked + untracked-but-not-ignored files, so
# work is checked before it is committed). Extra arguments go to ansible-test, e.g. --test pylint.
#   tests/utils/sanity.sh [main|oldest] [ansible-test sanity options]
# main (the default): ansible-test of .venv (ansible-core 2.19); oldest: that of .venv-oldest (ansible-core 2.16).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

leg=main
case "${1:-}" in
    main | oldest) leg=$1; shift ;;
esac
venv=$(leg_venv "$leg")
[ -x "$venv/bin/ansible-test" ] || die "$venv has no ansible-test: run tests/utils/venv.sh $leg first"
python_version=$(python_version_of "$venv/bin/python")

# Kept under build/ between runs so ansible-test's delegation venv (tests/output/.tmp) is reused; one per leg.
if [ "$leg" = main ]; then
    tree=$BUILD_DIR/sanity/ansible_collections/taskgate/huaweicloud
else
    tree=$(leg_build_dir "$leg")/sanity/ansible_collections/taskgate/huaweicloud
fi
snapshot_tree "$tree"

mkdir -p "$TOOL_HOME"
install_get_pip_standin "$TOOL_HOME"

cd "$tree"
# The venv's bin first: ansible-test finds python$python_version there and resolves the real interpreter
# behind it, instead of a pyenv shim.
HOME=$TOOL_HOME PATH="$venv/bin:$PATH" \
    ansible-test sanity --venv --python "$python_version" --color no "$@"
