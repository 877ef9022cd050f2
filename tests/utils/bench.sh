#!/usr/bin/env bash
# The benchmark (`make bench`): wait_for_task against the uri + until baseline on the simulator, with a
# report and plots in bench/results/ (see bench/README.md). Extra arguments go to bench/run_bench.py,
# e.g. `make bench ARGS=--quick` or `tests/utils/bench.sh --services rds --sizes 10,200`.
#
# Self-contained on a fresh clone: creates .venv (make venv), adds the bench-only extras
# (requirements/bench.txt: matplotlib, pinned) once, builds and installs the collection, then runs the
# harness against the BUILT collection only.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

"$REPO_ROOT/tests/utils/venv.sh" main
bench_requirements=$REPO_ROOT/requirements/bench.txt
[ -f "$bench_requirements" ] || die "$bench_requirements is missing"

# The stamp ties the extras to this venv's own stamp, so a venv recreated by venv.sh gets them again.
stamp=$MAIN_VENV/.bench-requirements-stamp
wanted="$(sha256sum "$bench_requirements" | cut -d' ' -f1) $(cat "$MAIN_VENV/.requirements-stamp" 2>/dev/null || true)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    log "installing the bench extras into $MAIN_VENV from ${bench_requirements#"$REPO_ROOT"/}"
    "$MAIN_VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$bench_requirements"
    printf '%s\n' "$wanted" >"$stamp"
fi

"$REPO_ROOT/tests/utils/build.sh" main
collections=$(leg_build_dir main)/collections

leg_env "$MAIN_VENV" "$collections"
cd "$REPO_ROOT"
exec "$MAIN_VENV/bin/python" bench/run_bench.py --collections-path "$collections" "$@"
