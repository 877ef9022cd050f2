#!/usr/bin/env bash
# galaxy-importer on the BUILT artifact (make build first), as Galaxy / Automation Hub would import it, with
# ansible-test off (it needs a container engine): ansible-doc on every plugin, ansible-lint on the roles,
# the metadata and file checks. Any WARNING or ERROR line fails the step, so the artifact stays clean; so does
# a README image that the artifact does not hold (Galaxy renders the README from the artifact).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

"$REPO_ROOT/tests/utils/docs-venv.sh"
artifact=$(find "$(leg_build_dir main)" -maxdepth 1 -name 'taskgate-huaweicloud-*.tar.gz' | head -n1)
[ -n "$artifact" ] || die "no built artifact in $(leg_build_dir main): run make build first"

out=$BUILD_DIR/importer
rm -rf "$out"
mkdir -p "$out/tmp"
cat >"$out/galaxy-importer.cfg" <<CFG
[galaxy-importer]
run_ansible_test = False
run_ansible_lint = True
run_ansible_doc = True
check_changelog = True
tmp_root_dir = $out/tmp
ansible_local_tmp = $out/tmp/ansible
CFG
# The importer's own ansible-doc and ansible-lint, with a scratch HOME and no other collection in sight.
export PATH="$DOCS_VENV/bin:$PATH" HOME=$TOOL_HOME ANSIBLE_HOME=$TOOL_HOME/.ansible GALAXY_IMPORTER_CONFIG=$out/galaxy-importer.cfg
unset ANSIBLE_COLLECTIONS_PATH PYTHONPATH
mkdir -p "$HOME"
status=0
(cd "$out" && "$DOCS_VENV/bin/python" -m galaxy_importer.main "$artifact") >"$out/importer.log" 2>&1 || status=$?
cat "$out/importer.log" >&2
[ "$status" -eq 0 ] || die "galaxy-importer failed (exit $status) on $(basename "$artifact")"
grep -q "Importer processing completed successfully" "$out/importer.log" || die "galaxy-importer did not complete"
if grep -E "^(WARNING|ERROR)" "$out/importer.log" >/dev/null; then
    die "galaxy-importer accepted $(basename "$artifact") with warnings (above): fix them"
fi
# Galaxy shows the README of the artifact: its images must be in the artifact or absolute URLs.
"$DOCS_VENV/bin/python" - "$artifact" <<'PY'
import re
import sys
import tarfile

with tarfile.open(sys.argv[1]) as artifact:
    names = set(artifact.getnames())
    readme = artifact.extractfile("README.md").read().decode("utf-8")
images = re.findall(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)", readme) + re.findall(r"<img[^>]+src=[\"']([^\"']+)", readme)
broken = [src for src in images if not re.match(r"^[a-z]+://", src) and src.lstrip("./") not in names]
if broken:
    sys.exit("README.md shows images that are not in the artifact (use an absolute URL or ship them): %s" % ", ".join(broken))
print("README images: %d, all resolve" % len(images), file=sys.stderr)
PY
log "galaxy-importer accepts $(basename "$artifact") without a warning"
