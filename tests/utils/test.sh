#!/usr/bin/env bash
# The whole check, as CI runs it (`make test`, .ci/run):
#   main leg   (Python 3.11, ansible-core 2.19): venv, build, sanity, pytest on the built artifact,
#              ansible-lint, molecule, eda (ansible-rulebook from .venv-eda; skipped without Java >= 17);
#              then on that build: docs-venv, ee, docs-lint, docs, galaxy-importer;
#              runner-venv, runner (ansible-runner as AWX runs a job), navigator, browser (headless Chromium)
#   newest leg (newest Python >= 3.12, ansible-core 2.21): venv, build, pytest of tests/unit and
#              tests/integration but the soak on that build (sanity runs once, on the main leg)
#   oldest leg (Python 3.11, ansible-core 2.16, the floor meta/runtime.yml declares): venv, build, sanity with
#              ansible-core 2.16's ansible-test, pytest as on the newest leg on that build
# Every step runs even when an earlier one failed, so one CI run reports every problem; only a failed
# venv/build stops the steps that need it. FAIL_FAST=1 stops at the first failure instead.
# Ends with a table of step, status and seconds; exits non-zero when any step failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$here/common.sh"

summary=()
failed=0
started=$(date +%s)

# One line per test leg whose venv exists: which ansible-core on which Python ran its steps.
print_legs() {
    local leg venv
    for leg in main newest oldest; do
        venv=$(leg_venv "$leg")
        [ -x "$venv/bin/python" ] || continue
        printf 'leg %-7s ansible-core %-8s Python %-7s steps: %s\n' "$leg" \
            "$("$venv/bin/python" -c 'import ansible.release as r; print(r.__version__)' 2>/dev/null || echo '?')" \
            "$("$venv/bin/python" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo '?')" \
            "$([ "$leg" = main ] && echo 'those without a leg prefix' || echo "$leg-*")"
    done
}

print_summary() {
    local row
    printf '\n==> summary\n'
    print_legs
    printf '%-16s %-8s %8s\n' step status seconds
    for row in "${summary[@]}"; do
        IFS='|' read -r -a cells <<<"$row"
        printf '%-16s %-8s %8s\n' "${cells[0]}" "${cells[1]}" "${cells[2]}"
    done
    printf '%-16s %-8s %8s\n' total "$([ "$failed" -eq 0 ] && echo ok || echo FAILED)" "$(($(date +%s) - started))"
}

finish() {
    print_summary
    exit "$failed"
}

# step NAME COMMAND...: run one step, print "==> NAME 12s ok", record it; returns the step's status word.
step() {
    local name=$1 begin status=0 word
    shift
    printf '\n==> %s\n' "$name"
    begin=$(date +%s)
    "$@" || status=$?
    case "$status" in
        0) word=ok ;;
        "$SKIPPED") word=skipped ;;
        *) word=FAILED; failed=1 ;;
    esac
    printf '==> %s %ss %s\n' "$name" "$(($(date +%s) - begin))" "$word"
    summary+=("$name|$word|$(($(date +%s) - begin))")
    last_step=$word
    if [ "$word" = FAILED ] && [ "${FAIL_FAST:-0}" = 1 ]; then
        finish
    fi
}

not_run() {
    summary+=("$1|$2|-")
}

cd "$REPO_ROOT" || exit 1

step venv "$here/venv.sh" main
if [ "$last_step" = ok ]; then
    step build "$here/build.sh" main
else
    not_run build "not run"
fi
if [ "$last_step" = ok ]; then
    step sanity "$here/sanity.sh"
    step pytest "$here/pytest.sh" main
    step ansible-lint "$here/lint.sh"
    step molecule "$here/molecule.sh"
    step eda "$here/eda.sh"
else
    for name in sanity pytest ansible-lint molecule eda; do not_run "$name" "not run"; done
fi

# Ecosystem checks of the main build, with the tools of .venv-docs: the execution environment (ansible-builder
# introspect + create), the docs lint and site (antsibull-docs, Sphinx), galaxy-importer.
if [ -d "$(leg_build_dir main)/collections/ansible_collections/taskgate/huaweicloud" ]; then
    step docs-venv "$here/docs-venv.sh"
    if [ "$last_step" = ok ]; then
        step ee "$here/ee.sh"
        step docs-lint "$here/docs.sh" lint
        step docs "$here/docs.sh" site
        step galaxy-importer "$here/importer.sh"
    else
        for name in ee docs-lint docs galaxy-importer; do not_run "$name" "not run"; done
    fi
else
    for name in docs-venv ee docs-lint docs galaxy-importer; do not_run "$name" "not run"; done
fi

# The main build run the way AWX / Automation Platform (ansible-runner) and ansible-navigator run it, with the tools of
# .venv-runner; then headless Chromium renders the docs site and a demo run's gate_report timeline.
if [ -d "$(leg_build_dir main)/collections/ansible_collections/taskgate/huaweicloud" ]; then
    step runner-venv "$here/runner-venv.sh"
    if [ "$last_step" = ok ]; then
        step runner "$here/runner.sh"
        step navigator "$here/navigator.sh"
        if [ -f "$BUILD_DIR/docs/html/index.html" ]; then
            step browser "$here/browser.sh"
        else
            not_run browser "not run"
        fi
    else
        for name in runner navigator browser; do not_run "$name" "not run"; done
    fi
else
    for name in runner-venv runner navigator browser; do not_run "$name" "not run"; done
fi

# The newest and oldest legs check the collection on other ansible-core and Python versions: they run its
# unit and integration tests. The main leg alone also runs the simulator's own tests, the bench harness's
# tests and the real-time soak, none of which depends on ansible-core (the soak drives the engine in process).
other_leg_suite=(tests/unit tests/integration -m "not soak")

step newest-venv "$here/venv.sh" newest
case "$last_step" in
    ok)
        step newest-build "$here/build.sh" newest
        if [ "$last_step" = ok ]; then
            step newest-pytest "$here/pytest.sh" newest "${other_leg_suite[@]}"
        else
            not_run newest-pytest "not run"
        fi
        ;;
    skipped) not_run newest-build skipped; not_run newest-pytest skipped ;;
    *) not_run newest-build "not run"; not_run newest-pytest "not run" ;;
esac

step oldest-venv "$here/venv.sh" oldest
if [ "$last_step" = ok ]; then
    step oldest-build "$here/build.sh" oldest
else
    not_run oldest-build "not run"
fi
if [ "$last_step" = ok ]; then
    step oldest-sanity "$here/sanity.sh" oldest
    step oldest-pytest "$here/pytest.sh" oldest "${other_leg_suite[@]}"
else
    not_run oldest-sanity "not run"; not_run oldest-pytest "not run"
fi

finish
