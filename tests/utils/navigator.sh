#!/usr/bin/env bash
# make test step "navigator": `ansible-navigator run --ee false --mode stdout` on the AWX test playbook, with the
# collection installed from the built artifact by ansible-galaxy (tests/awx/test_navigator.py).
set -euo pipefail
exec "$(dirname "$0")/awx-pytest.sh" navigator tests/awx/test_navigator.py "$@"
