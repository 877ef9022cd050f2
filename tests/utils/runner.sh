#!/usr/bin/env bash
# make test step "runner": the collection run the way AWX / Automation Platform execution nodes run a job, with
# ansible-runner (process isolation off) on a private data dir whose env/envvars comes from
# extensions/awx/credential_type.yml (tests/awx/test_credential_type.py, tests/awx/test_ansible_runner.py).
# The runner's records stay in build/awx/runner/ (artifacts/<ident>/job_events, stdout, junit.xml, timeline.svg).
set -euo pipefail
exec "$(dirname "$0")/awx-pytest.sh" runner tests/awx/test_credential_type.py tests/awx/test_ansible_runner.py "$@"
