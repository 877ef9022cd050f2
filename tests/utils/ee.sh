#!/usr/bin/env bash
# Execution environment check (make test step "ee"), on the BUILT collection (make build):
#   1. `ansible-builder introspect build/collections` must find every line of requirements.txt;
#   2. `ansible-builder create` on extensions/ee/execution-environment.yml writes build/ee/context, and the
#      collection must be in it (a missing additional_build_files source is only a warning to ansible-builder);
#   3. the galaxy and builder stages of the Containerfile are replayed without a container engine: the
#      context's requirements.yml installed with ansible-galaxy, then the context's own introspect script,
#      which must again find requirements.txt. Only `ansible-builder build` (podman/docker) is left out.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

"$REPO_ROOT/tests/utils/docs-venv.sh"
collections=$(leg_build_dir main)/collections
[ -d "$collections/ansible_collections/taskgate/huaweicloud" ] || die "no installed collection in $collections: run make build first"
definition=$REPO_ROOT/extensions/ee/execution-environment.yml
out=$BUILD_DIR/ee
rm -rf "$out"
mkdir -p "$out"
export ANSIBLE_HOME=$TOOL_HOME/.ansible

# The pip requirements of requirements.txt (comments and blank lines dropped).
wanted=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$REPO_ROOT/requirements.txt")
[ -n "$wanted" ] || die "requirements.txt lists no requirement"

# expect_requirements WHAT FILE: FILE (introspect output) lists every wanted requirement for this collection.
expect_requirements() {
    local what=$1 output=$2 requirement missing=0
    for requirement in $wanted; do
        if ! grep -Fq -- "- '$requirement  # from collection taskgate.huaweicloud'" "$output"; then
            log "$what: '$requirement' (requirements.txt) not found"
            missing=1
        fi
    done
    if [ "$missing" -ne 0 ]; then
        log "$what said:"; cat "$output" >&2
        die "$what does not see the collection's Python requirements (meta/execution-environment.yml -> requirements.txt)"
    fi
    log "$what: $(echo "$wanted" | tr '\n' ' ')found"
}

(cd "$out" && "$DOCS_VENV/bin/ansible-builder" introspect "$collections") >"$out/introspect.txt"
expect_requirements "ansible-builder introspect $collections" "$out/introspect.txt"

"$DOCS_VENV/bin/ansible-builder" create -f "$definition" -c "$out/context" --output-filename Containerfile >"$out/create.log" 2>&1 \
    || { cat "$out/create.log" >&2; die "ansible-builder create failed on ${definition#"$REPO_ROOT"/}"; }
context=$out/context/_build
[ -f "$out/context/Containerfile" ] || die "ansible-builder create wrote no Containerfile"
if grep -q "No matches for" "$out/create.log"; then
    grep "No matches for" "$out/create.log" >&2
    die "a source of additional_build_files is missing (run make build first)"
fi
[ -f "$context/requirements.yml" ] || die "the build context has no galaxy requirements.yml"

# Replay the galaxy stage (from the build context, as the Containerfile's WORKDIR /build) and the builder stage.
(cd "$context" && "$DOCS_VENV/bin/ansible-galaxy" collection install -r requirements.yml --collections-path "$out/galaxy") \
    >"$out/galaxy.log" 2>&1 || { cat "$out/galaxy.log" >&2; die "the galaxy stage (ansible-galaxy collection install -r requirements.yml) failed"; }
[ -f "$out/galaxy/ansible_collections/taskgate/huaweicloud/MANIFEST.json" ] || die "the galaxy stage did not install taskgate.huaweicloud"
(cd "$out" && "$DOCS_VENV/bin/python" "$context/scripts/introspect.py" introspect "$out/galaxy") >"$out/context-introspect.txt"
expect_requirements "the build context's introspect on its galaxy stage" "$out/context-introspect.txt"
log "build context in ${out#"$REPO_ROOT"/}/context; the image itself: ansible-builder build -f ${definition#"$REPO_ROOT"/} -c ${out#"$REPO_ROOT"/}/context -t taskgate-huaweicloud-ee:latest (needs podman or docker)"
