# shellcheck shell=bash
# Shared helpers for the build/test scripts in tests/utils/. Source it; do not run it.
#
# Everything here must work on a fresh machine that only has Python and PyPI: no container engine,
# pyenv shims on PATH, and no access to ansible-test's download host (see docs in tests/utils/README.md).

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$REPO_ROOT/build}
# Persistent scratch HOME for tools that write into ~ (ansible-test venv cache, molecule, ansible-lint).
# It lives under build/ (git-ignored) so nothing leaks into the real home and `make clean` resets it.
TOOL_HOME=${TOOL_HOME:-$BUILD_DIR/home}

MAIN_VENV=${MAIN_VENV:-$REPO_ROOT/.venv}
NEWEST_VENV=${NEWEST_VENV:-$REPO_ROOT/.venv-newest}
OLDEST_VENV=${OLDEST_VENV:-$REPO_ROOT/.venv-oldest}
# Docs and publishing tools (antsibull-docs, Sphinx, ansible-builder, galaxy-importer): tests/utils/docs-venv.sh.
DOCS_VENV=${DOCS_VENV:-$REPO_ROOT/.venv-docs}

log() { printf '%s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Print "MAJOR.MINOR" of a Python interpreter, or nothing when it does not run.
python_version_of() {
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

pyenv_versions_dir() {
    local root
    root=${PYENV_ROOT:-}
    if [ -z "$root" ] && command -v pyenv >/dev/null 2>&1; then
        root=$(pyenv root 2>/dev/null || true)
    fi
    [ -n "$root" ] && [ -d "$root/versions" ] && printf '%s\n' "$root/versions"
}

# Candidate interpreters for the given minor versions (e.g. "3.11 3.12"), best first:
# pyenv installs (real binaries, never shims), then pythonX.Y on PATH.
python_candidates() {
    local versions_dir minor dir
    versions_dir=$(pyenv_versions_dir || true)
    for minor in "$@"; do
        if [ -n "$versions_dir" ]; then
            # newest patch release first
            for dir in $(find "$versions_dir" -maxdepth 1 -name "$minor.*" 2>/dev/null | sort -rV); do
                [ -x "$dir/bin/python$minor" ] && printf '%s\n' "$dir/bin/python$minor"
            done
        fi
        command -v "python$minor" 2>/dev/null || true
    done
}

# First candidate of the given minor versions that really runs and reports that version; prints the real
# sys.executable (so a pyenv shim never ends up inside a venv or an interpreter setting).
find_python() {
    local candidate version
    for candidate in $(python_candidates "$@"); do
        version=$(python_version_of "$candidate") || continue
        case " $* " in
            *" $version "*) "$candidate" -c 'import sys; print(sys.executable)'; return 0 ;;
        esac
    done
    return 1
}

# Python for the main leg (ansible-core 2.19 runs its controller on 3.11-3.13). $PYTHON overrides.
main_python() {
    if [ -n "${PYTHON:-}" ]; then
        printf '%s\n' "$PYTHON"
        return 0
    fi
    find_python 3.11 && return 0
    local fallback version
    fallback=$(command -v python3 || true)
    version=$(python_version_of "${fallback:-false}" || true)
    case "$version" in
        3.11 | 3.12 | 3.13) "$fallback" -c 'import sys; print(sys.executable)'; return 0 ;;
    esac
    return 1
}

# Python for the newest leg (ansible-core 2.21 needs >= 3.12). $NEWEST_PYTHON overrides.
newest_python() {
    if [ -n "${NEWEST_PYTHON:-}" ]; then
        printf '%s\n' "$NEWEST_PYTHON"
        return 0
    fi
    find_python 3.14 3.13 3.12
}

# Python for the oldest leg (ansible-core 2.16 runs its controller on 3.10-3.12; 3.11 as in Automation
# Platform 2.5's execution environments). $OLDEST_PYTHON overrides.
oldest_python() {
    if [ -n "${OLDEST_PYTHON:-}" ]; then
        printf '%s\n' "$OLDEST_PYTHON"
        return 0
    fi
    find_python 3.11
}

# ensure_venv DIR PYTHON REQUIREMENTS: (re)create DIR from pinned requirements. A stamp holding the hash of
# the requirements file and the interpreter version makes re-runs instant while nothing changed.
ensure_venv() {
    local venv=$1 python=$2 requirements=$3 stamp wanted
    stamp=$venv/.requirements-stamp
    wanted="$(sha256sum "$requirements" | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version)' | head -n1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -x "$venv/bin/python" ]; then
        return 0
    fi
    log "creating $venv with $python from ${requirements#"$REPO_ROOT"/}"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$requirements"
    printf '%s\n' "$wanted" >"$stamp"
}

# build_collection VENV OUT_DIR: build the collection artifact into OUT_DIR and install it into a fresh
# OUT_DIR/collections; prints the collections path (the directory that holds ansible_collections/).
build_collection() {
    local venv=$1 out=$2 artifact
    mkdir -p "$out"
    rm -f "$out"/taskgate-huaweicloud-*.tar.gz
    rm -rf "$out/collections"
    (cd "$REPO_ROOT" && ANSIBLE_HOME="$TOOL_HOME/.ansible" "$venv/bin/ansible-galaxy" collection build --force --output-path "$out" >&2)
    artifact=$(find "$out" -maxdepth 1 -name 'taskgate-huaweicloud-*.tar.gz' | head -n1)
    [ -n "$artifact" ] || die "ansible-galaxy produced no artifact in $out"
    ANSIBLE_HOME="$TOOL_HOME/.ansible" ANSIBLE_COLLECTIONS_PATH="$out/collections" \
        "$venv/bin/ansible-galaxy" collection install -p "$out/collections" "$artifact" --force >&2
    printf '%s\n' "$out/collections"
}

# Environment every ansible command of a leg gets: the venv's tools first on PATH, the venv's Python as the
# managed-node interpreter (pyenv shims break discovery), and only the given collections path.
leg_env() {
    local venv=$1 collections=$2
    export PATH="$venv/bin:$PATH"
    export ANSIBLE_PYTHON_INTERPRETER="$venv/bin/python"
    export ANSIBLE_COLLECTIONS_PATH="$collections"
    export ANSIBLE_HOME="$TOOL_HOME/.ansible"
    export ANSIBLE_NOCOLOR=1
    export ANSIBLE_FORCE_COLOR=0
    unset PYTHONPATH
}

# Write ansible-test's pip bootstrap stand-in into $1/.ansible/test/cache. ansible-test fetches get-pip.py
# from ci-files.testing.ansible.com, which is unreachable here; the stand-in installs pip with ensurepip and
# then installs exactly what ansible-test asked for (e.g. pip==24.2) from the package index.
install_get_pip_standin() {
    local home=$1 cache version
    cache=$home/.ansible/test/cache
    mkdir -p "$cache"
    # 23_1_2: ansible-core 2.16 (the oldest leg), 24_2: 2.19, 25_2: 2.21
    for version in 23_1_2 24_2 25_2; do
        cat >"$cache/get_pip_$version.py" <<'PY'
"""Offline stand-in for get-pip.py written by tests/utils/common.sh."""
import subprocess
import sys

# get-pip.py options that pip itself does not know
ONLY_FOR_GET_PIP = ("--no-setuptools", "--no-wheel")

subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
wanted = [arg for arg in sys.argv[1:] if arg not in ONLY_FOR_GET_PIP]
if any(not arg.startswith("-") for arg in wanted):
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q"] + wanted)
PY
    done
}

# Copy the source tree as git sees it (tracked + untracked-but-not-ignored files, so uncommitted work is
# checked too) into DEST and make DEST a git checkout of its own: ansible-test needs one. DEST is reused
# between runs: everything but .git and tests/output (ansible-test's delegation venv) is replaced.
snapshot_tree() {
    local dest=$1
    mkdir -p "$dest/tests"
    find "$dest" -mindepth 1 -maxdepth 1 ! -name .git ! -name tests -exec rm -rf {} +
    find "$dest/tests" -mindepth 1 -maxdepth 1 ! -name output -exec rm -rf {} +
    (cd "$REPO_ROOT" && git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' path; do [ -e "$path" ] && printf '%s\0' "$path"; done \
        | tar --null --files-from=- -cf -) | tar -xf - -C "$dest"
    (
        cd "$dest" || exit 1
        [ -d .git ] || git init -q
        git add -A
        git -c user.name=taskgate-ci -c user.email=ci@localhost -c commit.gpgsign=false \
            commit -q --no-verify --allow-empty -m snapshot
    )
}

# Per-leg settings: "main" (ansible-core 2.19 on Python 3.11), "newest" (ansible-core 2.21 on Python >= 3.12)
# or "oldest" (ansible-core 2.16, the declared floor, on Python 3.11).
leg_venv() {
    case "$1" in
        main) printf '%s\n' "$MAIN_VENV" ;;
        newest) printf '%s\n' "$NEWEST_VENV" ;;
        oldest) printf '%s\n' "$OLDEST_VENV" ;;
        *) die "unknown leg '$1' (allowed: main, newest, oldest)" ;;
    esac
}

leg_requirements() {
    case "$1" in
        main) printf '%s\n' "$REPO_ROOT/requirements/dev.txt" ;;
        newest) printf '%s\n' "$REPO_ROOT/requirements/newest.txt" ;;
        oldest) printf '%s\n' "$REPO_ROOT/requirements/oldest.txt" ;;
        *) die "unknown leg '$1' (allowed: main, newest, oldest)" ;;
    esac
}

leg_build_dir() {
    case "$1" in
        main) printf '%s\n' "$BUILD_DIR" ;;
        newest) printf '%s\n' "$BUILD_DIR/newest" ;;
        oldest) printf '%s\n' "$BUILD_DIR/oldest" ;;
        *) die "unknown leg '$1' (allowed: main, newest, oldest)" ;;
    esac
}

# Exit status a step script uses to say "nothing to do here" (the automake convention).
# shellcheck disable=SC2034  # used by the scripts that source this file
SKIPPED=77
