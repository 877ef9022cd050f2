#!/usr/bin/env bash
# ansible-lint (production profile, offline) over roles/, playbooks/ and extensions/, resolving
# taskgate.huaweicloud from the collection installed by build.sh. Configuration: .ansible-lint.
# Exits 77 (skipped) while none of those folders holds YAML yet.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

collections=$(leg_build_dir main)/collections
[ -x "$MAIN_VENV/bin/ansible-lint" ] || die "$MAIN_VENV has no ansible-lint: run make venv first"
[ -d "$collections/ansible_collections/taskgate/huaweicloud" ] || die "no installed collection in $collections: run make build first"

cd "$REPO_ROOT"
targets=()
for dir in roles playbooks extensions; do
    if [ -n "$(find "$dir" \( -name '*.yml' -o -name '*.yaml' \) -type f -print -quit 2>/dev/null)" ]; then
        targets+=("$dir")
    fi
done
if [ "${#targets[@]}" -eq 0 ]; then
    log "skipping ansible-lint: no YAML in roles/, playbooks/ or extensions/ yet"
    exit "$SKIPPED"
fi

leg_env "$MAIN_VENV" "$collections"
mkdir -p "$TOOL_HOME"
# ansible-lint and ansible-compat cache into ~; keep that out of the real home.
HOME=$TOOL_HOME ansible-lint --profile production --offline --nocolor "${targets[@]}"
