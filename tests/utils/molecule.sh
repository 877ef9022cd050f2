#!/usr/bin/env bash
# molecule test for every scenario in extensions/molecule/, run from the collection root.
# Exits 77 (skipped) while no scenario exists.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

collections=$(leg_build_dir main)/collections
[ -x "$MAIN_VENV/bin/molecule" ] || die "$MAIN_VENV has no molecule: run make venv first"

cd "$REPO_ROOT"
if [ -z "$(find extensions/molecule -mindepth 2 -maxdepth 2 -name molecule.yml -print -quit 2>/dev/null)" ]; then
    log "skipping molecule: no scenario (extensions/molecule/*/molecule.yml) yet"
    exit "$SKIPPED"
fi

leg_env "$MAIN_VENV" "$collections"
# molecule installs the collection into ~/.ansible/collections: a throwaway HOME keeps runs independent.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/taskgate-molecule.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
# prerun off: molecule would otherwise build the SOURCE tree and install it ahead of the built artifact.
# -c replaces the default base-config lookup, so a shared extensions/molecule/config.yml is passed on first.
base_configs=()
[ -f extensions/molecule/config.yml ] && base_configs+=(-c extensions/molecule/config.yml)
printf 'prerun: false\n' >"$scratch/no-prerun.yml"
base_configs+=(-c "$scratch/no-prerun.yml")
HOME=$scratch ANSIBLE_HOME=$scratch/.ansible molecule "${base_configs[@]}" test --all
