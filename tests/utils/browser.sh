#!/usr/bin/env bash
# make test step "browser": headless Chromium renders the docs site (make docs, build/docs/html) and the gate_report
# timeline of a real `make demo` run to PNG; tests/browser/test_screenshots.py checks them. The screenshots stay in
# build/screenshots/ (CI artifacts). Chromium comes from Debian's `chromium` package, installed here when missing
# (as root with apt-get; CHROMIUM=/path overrides).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

html=$BUILD_DIR/docs/html
[ -f "$html/index.html" ] || die "no docs site in $html: run make docs first"

if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || die "chromium is not installed; as root: apt-get install chromium (or set CHROMIUM=/path)"
    command -v apt-get >/dev/null 2>&1 || die "chromium is not installed and there is no apt-get here (set CHROMIUM=/path)"
    log "installing Debian's chromium package"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >"$BUILD_DIR/apt-chromium.log" 2>&1 \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >>"$BUILD_DIR/apt-chromium.log" 2>&1 \
        || { tail -n 20 "$BUILD_DIR/apt-chromium.log" >&2; die "apt-get install chromium failed"; }
fi
log "browser: ${CHROMIUM:-$(command -v chromium)} ($("${CHROMIUM:-chromium}" --version 2>/dev/null || echo '?'))"

# A real demo run with the gate_report callback: its junit.xml and timeline.svg.
report=$BUILD_DIR/demo-report
rm -rf "$report"
ANSIBLE_CALLBACKS_ENABLED=taskgate.huaweicloud.gate_report TASKGATE_REPORT_DIR=$report \
    "$REPO_ROOT/tests/utils/demo.sh" >"$BUILD_DIR/demo-browser.log" 2>&1 \
    || { tail -n 30 "$BUILD_DIR/demo-browser.log" >&2; die "make demo failed (log: $BUILD_DIR/demo-browser.log)"; }
[ -f "$report/timeline.svg" ] || die "the demo run wrote no $report/timeline.svg"

rm -rf "$BUILD_DIR/screenshots"
export TASKGATE_DOCS_HTML=$html TASKGATE_DEMO_REPORT=$report TASKGATE_SCREENSHOTS=$BUILD_DIR/screenshots
"$REPO_ROOT/tests/utils/awx-pytest.sh" browser tests/browser "$@"
log "screenshots: $(cd "$BUILD_DIR/screenshots" && ls | tr '\n' ' ')in ${TASKGATE_SCREENSHOTS#"$REPO_ROOT"/}"
