#!/usr/bin/env bash
# The documentation of the BUILT collection (make build first), with the tools of .venv-docs:
#   tests/utils/docs.sh lint   antsibull-docs lint-collection-docs --plugin-docs on the built artifact
#                              (plugin/role docs schema and markup, extra docs, every reference in both)
#   tests/utils/docs.sh site   (make docs) the HTML site in build/docs/html: `antsibull-docs sphinx-init`
#                              writes the Sphinx project into build/docs/src, docs/site/conf_overrides.py is
#                              appended to its conf.py, `antsibull-docs collection` renders a page per
#                              module, lookup, filter and role plus the guides (docs/docsite), the project
#                              notes (docs/*.md) are added, and sphinx-build -W turns any warning into a failure.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

what=${1:-site}
case "$what" in
    lint | site) ;;
    *) die "unknown target '$what' (allowed: lint, site)" ;;
esac

"$REPO_ROOT/tests/utils/docs-venv.sh"
collections=$(leg_build_dir main)/collections
installed=$collections/ansible_collections/taskgate/huaweicloud
[ -d "$installed" ] || die "no installed collection in $collections: run make build first"
# antsibull-docs runs ansible-doc and ansible-galaxy from PATH; only the built collection is visible.
leg_env "$DOCS_VENV" "$collections"

if [ "$what" = lint ]; then
    # The artifact unpacked outside the repository: inside a git checkout the linter copies only the files
    # git tracks (none of build/), and a collection in an ansible_collections tree only as a symlink that
    # ansible-doc does not follow; either way nothing would be checked.
    artifact=$(find "$(leg_build_dir main)" -maxdepth 1 -name 'taskgate-huaweicloud-*.tar.gz' | head -n1)
    [ -n "$artifact" ] || die "no built artifact in $(leg_build_dir main): run make build first"
    unpacked=$(mktemp -d "${TMPDIR:-/tmp}/taskgate-docs-lint.XXXXXX")
    trap 'rm -rf "$unpacked"' EXIT
    tar -xzf "$artifact" -C "$unpacked"
    # Its own copy is the only taskgate.huaweicloud the linter may see.
    unset ANSIBLE_COLLECTIONS_PATH
    antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs \
        --validate-collection-refs dependent --disallow-unknown-collection-refs "$unpacked"
    exit 0
fi

out=$BUILD_DIR/docs
src=$out/src
rm -rf "$out"
mkdir -p "$src"
chmod og-w "$src"  # antsibull-docs writes only into a directory nobody else may write to
antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir "$src" \
    --title "taskgate.huaweicloud" --no-add-antsibull-docs-version taskgate.huaweicloud >/dev/null
{ printf '\n# ---- docs/site/conf_overrides.py\n'; cat "$REPO_ROOT/docs/site/conf_overrides.py"; } >>"$src/conf.py"

# The local intersphinx inventory (see docs/site/ansible_devel.inventory).
python - "$REPO_ROOT/docs/site/ansible_devel.inventory" "$src/ansible_devel.inv" <<'PY'
import sys
import zlib

lines = [line.strip() for line in open(sys.argv[1], encoding="utf-8") if line.strip() and not line.startswith("#")]
header = "# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n# The remainder of this file is compressed using zlib.\n"
with open(sys.argv[2], "wb") as out:
    out.write(header.encode("utf-8") + zlib.compress(("\n".join(lines) + "\n").encode("utf-8")))
PY

# Collection pages (what the generated build.sh does), from the installed artifact only.
mkdir -p "$src/rst"
chmod og-w "$src/rst"
(cd "$src" && antsibull-docs --config-file antsibull-docs.cfg collection --cleanup everything --fail-on-error \
    --use-current --squash-hierarchy --dest-dir rst taskgate.huaweicloud) >"$out/antsibull-docs.log" 2>&1 \
    || { cat "$out/antsibull-docs.log" >&2; die "antsibull-docs collection failed"; }

# Project notes: the Markdown pages of docs/ as the artifact ships them (reliability.md once it exists).
notes=()
for page in reliability architecture; do
    if [ -f "$installed/docs/$page.md" ]; then
        mkdir -p "$src/rst/notes"
        cp "$installed/docs/$page.md" "$src/rst/notes/$page.md"
        notes+=("notes/$page")
    fi
done
if [ "${#notes[@]}" -gt 0 ]; then
    printf '\n.. _project_notes_of_taskgate.huaweicloud:\n\nProject notes\n-------------\n\n.. toctree::\n    :maxdepth: 1\n\n' >>"$src/rst/index.rst"
    printf '    %s\n' "${notes[@]}" >>"$src/rst/index.rst"
fi

sphinx-build -q -b html -d "$out/doctrees" -c "$src" -W --keep-going "$src/rst" "$out/html" 2>"$out/sphinx.log" \
    || { cat "$out/sphinx.log" >&2; die "sphinx-build failed (warnings are errors); the sources are in ${src#"$REPO_ROOT"/}/rst"; }
pages=$(find "$out/html" -name '*.html' | wc -l)
log "docs site: ${out#"$REPO_ROOT"/}/html/index.html ($pages pages)"
