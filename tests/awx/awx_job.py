# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An AWX-style job: a private data dir for ansible-runner, the run, and what the runner recorded.

The private data dir is laid out as AWX hands it to ansible-runner on an execution node:
project/ (the playbook and its ansible.cfg), inventory/, env/envvars (what the credential type
injected), env/extravars (the job template's extra vars), env/settings, plus the files of ``file``
injectors under env/. ansible-runner runs on the host (process_isolation off), the collection
coming from a collections path filled by ``ansible-galaxy collection install`` of the built artifact,
as it would from an execution environment image.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import json
import os
import shutil
import subprocess
import sys

import yaml

import awx_credential

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
CREDENTIAL_TYPE = os.path.join(REPO_ROOT, "extensions", "awx", "credential_type.yml")
PROJECT = os.path.join(HERE, "project")
INVENTORY = os.path.join(HERE, "inventory")
BIN = os.path.dirname(sys.executable)


def credential_inputs(sim, auth):
    """What a user types into a credential of our type, for one way to authenticate."""
    creds = sim.credentials
    inputs = {"region": sim.region, "project_id": sim.project_id}
    if auth == "aksk":
        # A temporary access key: AK, SK and security token; the CA pasted as PEM text (a file injector).
        with open(sim.ca_file) as handle:
            inputs.update(access_key=creds["access_key"], secret_key=creds["secret_key"],
                          security_token=creds["security_token"], cacert=handle.read())
    else:
        # An IAM user (the collection fetches a token from IAM), certificate checks off (boolean input).
        inputs.update(user_name=creds["user_name"], password=creds["password"], domain_name=creds["domain_name"],
                      insecure=True)
    return inputs


def secrets_of(sim, inputs):
    """Every secret a leak could show: the credential's secret inputs and every IAM token the simulator issued."""
    values = [inputs[name] for name in ("access_key", "secret_key", "security_token", "password", "auth_token")
              if inputs.get(name)]
    with sim.state.lock:
        values.extend(sim.tokens._tokens)   # pylint: disable=protected-access  # the IAM tokens it handed out
    return values


def clean_environment(collections_path, extra=None):
    """The environment of the runner process: no HW_* from the caller, only what a node would have."""
    env = dict((name, value) for name, value in os.environ.items()
               if not name.startswith(("HW_", "OS_", "TASKGATE_", "ANSIBLE_", "AWX_")))
    env.update({
        "PATH": BIN + os.pathsep + env.get("PATH", "/usr/bin:/bin"),
        "ANSIBLE_COLLECTIONS_PATH": collections_path,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
    })
    env.update(extra or {})
    return env


def prepare(private_data_dir, credential_inputs, extravars):
    """Lay out the private data dir; returns (env, safe_env, files) of the credential injection."""
    shutil.copytree(PROJECT, os.path.join(private_data_dir, "project"))
    shutil.copytree(INVENTORY, os.path.join(private_data_dir, "inventory"))
    env, safe_env, files = awx_credential.inject(awx_credential.load_credential_type(CREDENTIAL_TYPE),
                                                 credential_inputs, private_data_dir)
    write_yaml(os.path.join(private_data_dir, "env", "envvars"), env)
    write_yaml(os.path.join(private_data_dir, "env", "extravars"), extravars)
    # AWX's job settings: no pexpect idle timeout, events for every line.
    write_yaml(os.path.join(private_data_dir, "env", "settings"), {"idle_timeout": 0, "job_timeout": 300})
    return env, safe_env, files


def write_yaml(path, data):
    with open(path, "w") as handle:
        yaml.safe_dump(data, handle, default_flow_style=False)
    os.chmod(path, 0o600)


def run(private_data_dir, playbook, ident, collections_path, timeout=240):
    """``ansible-runner run`` as an execution node runs a job; returns the Job record it left."""
    completed = subprocess.run(
        [os.path.join(BIN, "ansible-runner"), "run", private_data_dir, "--playbook", playbook, "--ident", ident],
        env=clean_environment(collections_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        timeout=timeout, check=False)
    return Job(os.path.join(private_data_dir, "artifacts", ident), completed.returncode,
               completed.stdout.decode("utf-8", "replace"))


class Job(object):
    """What ansible-runner wrote into its artifact dir: status, rc, stdout, job_events."""

    def __init__(self, artifact_dir, returncode, console):
        self.artifact_dir = artifact_dir
        self.returncode = returncode
        self.console = console
        self.status = read(os.path.join(artifact_dir, "status"))
        self.stdout = read(os.path.join(artifact_dir, "stdout"))
        self.event_files = sorted(glob.glob(os.path.join(artifact_dir, "job_events", "*.json")),
                                  key=lambda path: int(os.path.basename(path).split("-", 1)[0]))
        self.events = []
        for path in self.event_files:
            with open(path) as handle:
                self.events.append(json.load(handle))

    def task_events(self, task_name, event=None):
        return [item for item in self.events if item.get("event_data", {}).get("task") == task_name
                and (event is None or item["event"] == event)]

    def one(self, task_name, event):
        found = self.task_events(task_name, event)
        assert len(found) == 1, "%d %s events of task %r in %s" % (len(found), event, task_name, self.artifact_dir)
        return found[0]

    def raw_text(self):
        """stdout and every job event file as written, for the secret scan."""
        texts = [self.stdout or ""]
        for path in self.event_files:
            texts.append(read(path))
        return texts


def read(path):
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        return handle.read()
