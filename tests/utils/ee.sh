#!/usr/bin/env bash
# Execution environment check (make test step "ee"), on the BUILT collection (make build):
#   1. `ansible-builder introspect build/collections` must find every line of requirements.txt;
#   2. `ansible-builder create` on extensions/ee/execution-environment.yml writes build/ee/context, and the
#      collection must be in it (a missing additional_build_files source is only a warning to ansible-builder);
#   3. the galaxy and builder stages of the Containerfile are replayed without a container engine: the
#      context's requirements.yml installed with ansible-galaxy, then the context's own introspect script,
#      which must again find requirements.txt. Only `ansible-builder build` (podman/docker) is left out.
#   4. the final stage's pip install, replayed: a fresh venv (no system packages) gets exactly what the context's
#      introspect writes with --write-pip (as the Containerfile does) plus the definition's ansible-core; in it the
#      collection from the galaxy stage must find requests and jsonschema, and ansible-doc must render its module.
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

# 4. The final stage's Python packages from the context alone, in a fresh venv.
(cd "$out" && "$DOCS_VENV/bin/python" "$context/scripts/introspect.py" introspect --write-pip "$out/pip-requirements.txt" "$out/galaxy") >/dev/null
core=$("$DOCS_VENV/bin/python" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["dependencies"]["ansible_core"]["package_pip"])' "$definition")
rm -rf "$out/venv"
"$DOCS_VENV/bin/python" -m venv "$out/venv"
"$out/venv/bin/python" -m pip install --disable-pip-version-check -q -r "$out/pip-requirements.txt" "$core" >"$out/pip.log" 2>&1 \
    || { cat "$out/pip.log" >&2; die "pip install of the context's requirements ($out/pip-requirements.txt) and $core failed"; }
PYTHONPATH=$out/galaxy "$out/venv/bin/python" - <<'PY' || die "the execution environment's Python packages do not cover the collection"
from ansible_collections.taskgate.huaweicloud.plugins.module_utils import client, contract

missing = [name for name, present in (("requests", client.HAS_REQUESTS), ("jsonschema", contract.HAS_JSONSCHEMA)) if not present]
if missing:
    raise SystemExit("missing in the EE venv: %s" % ", ".join(missing))
PY
ANSIBLE_COLLECTIONS_PATH=$out/galaxy "$out/venv/bin/ansible-doc" -t module taskgate.huaweicloud.wait_for_task >"$out/ansible-doc.txt" 2>&1 \
    || { cat "$out/ansible-doc.txt" >&2; die "ansible-doc in the EE venv cannot render taskgate.huaweicloud.wait_for_task"; }
log "EE venv from the context: $(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$out/pip-requirements.txt" | tr -s ' \n' ' ')+ $core: requests and jsonschema found, ansible-doc ok"
log "build context in ${out#"$REPO_ROOT"/}/context; the image itself: ansible-builder build -f ${definition#"$REPO_ROOT"/} -c ${out#"$REPO_ROOT"/}/context -t taskgate-huaweicloud-ee:latest (needs podman or docker)"
