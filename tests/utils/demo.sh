#!/usr/bin/env bash
# The demo (`make demo`): start the bundled simulator on 127.0.0.1, point the BUILT collection at it and
# run playbooks/demo.yml. Extra arguments go to ansible-playbook (e.g. -v).
#
# The playbook gets the simulator through:
#   extra vars   -e @build/sim.json: the simulator's info file as it is ({"url", "endpoints", "project_id",
#                "region", "credentials": {...}}), so the playbook can say endpoints: "{{ endpoints }}"
#   environment  HW_REGION_NAME, HW_PROJECT_ID and one set of the simulator's credentials, chosen by
#                SIM_AUTH: aksk (default: HW_ACCESS_KEY/HW_SECRET_KEY), token (HW_AUTH_TOKEN) or
#                password (HW_USER_NAME/HW_USER_PASSWORD/HW_DOMAIN_NAME) - the collection's option fallbacks
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

collections=$(leg_build_dir main)/collections
playbook=$REPO_ROOT/playbooks/demo.yml
info=$BUILD_DIR/sim.json
[ -x "$MAIN_VENV/bin/ansible-playbook" ] || die "$MAIN_VENV has no ansible-playbook: run make venv first"
[ -d "$collections/ansible_collections/taskgate/huaweicloud" ] || die "no installed collection in $collections: run make build first"
[ -f "$playbook" ] || die "$playbook does not exist yet"

rm -f "$info"
(cd "$REPO_ROOT" && PYTHONPATH=tests exec "$MAIN_VENV/bin/python" -m simulator --port 0 --seed "${SIM_SEED:-0}" --info-file "$info") \
    >"$BUILD_DIR/sim.log" 2>&1 &
simulator=$!
trap 'kill "$simulator" 2>/dev/null || true; wait "$simulator" 2>/dev/null || true' EXIT

# Wait for the simulator to announce itself (it binds first, then writes the info file).
for _ in $(seq 1 100); do
    [ -s "$info" ] && break
    kill -0 "$simulator" 2>/dev/null || die "simulator exited early; its log ($BUILD_DIR/sim.log):"$'\n'"$(cat "$BUILD_DIR/sim.log")"
    sleep 0.1
done
[ -s "$info" ] || die "simulator wrote no $info within 10 s; log: $BUILD_DIR/sim.log"

# Turn the info file into shell exports (evaluated here, never printed).
exports=$("$MAIN_VENV/bin/python" - "$info" "${SIM_AUTH:-aksk}" <<'PY'
import json
import shlex
import sys

# One auth method at a time ($SIM_AUTH): simulator credential keys -> the collection's environment
# fallbacks (module_utils/options.py).
AUTH_METHODS = {
    "aksk": {"access_key": "HW_ACCESS_KEY", "secret_key": "HW_SECRET_KEY", "security_token": "HW_SECURITY_TOKEN"},
    "token": {"auth_token": "HW_AUTH_TOKEN"},
    "password": {"user_name": "HW_USER_NAME", "password": "HW_USER_PASSWORD", "domain_name": "HW_DOMAIN_NAME"},
}
auth_method = sys.argv[2]
if auth_method not in AUTH_METHODS:
    sys.exit("SIM_AUTH=%s is not supported; allowed: %s" % (auth_method, ", ".join(sorted(AUTH_METHODS))))
credential_env = AUTH_METHODS[auth_method]

with open(sys.argv[1]) as handle:
    info = json.load(handle)
env = {"HW_REGION_NAME": info["region"], "HW_PROJECT_ID": info["project_id"], "TASKGATE_SIM_URL": info["url"]}
for key, value in (info.get("credentials") or {}).items():
    if key in credential_env and value is not None:
        env[credential_env[key]] = str(value)
for name, value in sorted(env.items()):
    print("export %s=%s" % (name, shlex.quote(value)))
PY
)
eval "$exports"
log "simulator at $TASKGATE_SIM_URL (pid $simulator, log $BUILD_DIR/sim.log); extra vars from $info"

leg_env "$MAIN_VENV" "$collections"
# The demo runs against implicit localhost; these two warnings would only be noise in its output.
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
cd "$REPO_ROOT"
ansible-playbook "$playbook" -e "@$info" "$@"
