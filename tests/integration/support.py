# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers the integration tests import by name (``from support import ...``).

They live here, not in conftest.py: with several conftest.py files in the suite (bench/tests has
one), ``from conftest import`` would pick whichever was imported first.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import json
import os
import sys

import pytest

import ansible_collections.taskgate.huaweicloud as collection_under_test


def _collections_path():
    """Where the collection under test lives (the test runner sets ANSIBLE_COLLECTIONS_PATH to the
    installed build); otherwise the root of the ansible_collections tree this run imports it from."""
    if os.environ.get("ANSIBLE_COLLECTIONS_PATH"):
        return os.environ["ANSIBLE_COLLECTIONS_PATH"]
    package_dir = list(collection_under_test.__path__)[0]
    return os.path.abspath(os.path.join(package_dir, os.pardir, os.pardir, os.pardir))


COLLECTIONS_PATH = _collections_path()
PLAYBOOK_DIR = os.path.join(os.path.dirname(__file__), "playbooks")


def token_params(server):
    """Module parameters that point the collection at `server` with token auth."""
    return {
        "region": server.region,
        "project_id": server.project_id,
        "auth_token": server.credentials["auth_token"],
        "endpoints": dict(server.endpoints),
    }


def playbook_env(server, extra=None):
    """Environment for an ansible-playbook subprocess aimed at `server` (HW_* as users set them)."""
    creds = server.credentials
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_PATH,
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "PATH": os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""),
        "HW_REGION_NAME": server.region,
        "HW_PROJECT_ID": server.project_id,
        "HW_AUTH_TOKEN": creds["auth_token"],
    })
    env.update(extra or {})
    return env


try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager
    def patch_module_args(args):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved


def run_module_main(main, args, capsys):
    """Run a module's main() in-process with ``args``; returns the JSON result it printed.

    Module warnings are process-global in ansible-core: the ones an earlier in-process run left behind
    are cleared first, as a fresh module process would start without them.
    """
    from ansible.module_utils.common import warnings as module_warnings
    module_warnings._global_warnings.clear()
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            main()
    return json.loads(capsys.readouterr().out)


class SimTime(object):
    """clock/sleep/wall_clock of wait_for_task (run_wait), all on the simulator's ManualClock.

    ``hooks`` ({n: callable}) let a test act mid-wait, after the n-th sleep (expire tokens, say).
    """

    def __init__(self, sim_clock):
        self.sim_clock = sim_clock
        self.sleeps = 0
        self.hooks = {}

    def sleep(self, seconds):
        self.sleeps += 1
        self.sim_clock.advance(seconds)
        hook = self.hooks.pop(self.sleeps, None)
        if hook is not None:
            hook()

    def run(self, params, **kwargs):
        from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_runner import run_wait
        return run_wait(params, clock=self.sim_clock.time, sleep=self.sleep, wall_clock=self.sim_clock.time, **kwargs)


def wait_params(server, service, **options):
    """wait_for_task options aimed at ``server`` (token auth) with short polling bounds."""
    params = token_params(server)
    params.update(service=service, poll_interval=1, max_poll_interval=5)
    params.update(options)
    return params


ECS_JOB_LABEL = "ecs-job"


def ecs_api(server, **changes):
    """The simulator's ECS job API (GET /v1/{project_id}/jobs/{job_id}) declared in full, as a user would
    declare a job API the catalog lacks; ``changes`` replace keys (None removes one)."""
    api = {
        "label": ECS_JOB_LABEL,
        "endpoint": server.all_endpoints["ecs"],
        "path": "/v1/{project_id}/jobs/{id}",
        "status": "status",
        "pending": ["INIT", "RUNNING"],
        "succeeded": ["SUCCESS"],
        "failed": ["FAIL"],
        "name": "job_type",
        "created_at": "begin_time",
        "ended_at": "end_time",
        "fail_reason": "entities.sub_jobs.0.fail_reason",
        "subtasks": "entities.sub_jobs",
        "id": "job_id",
    }
    api.update(changes)
    return dict((key, value) for key, value in api.items() if value is not None)


def service_requests(sim):
    """Requests the simulator served to the collection (its /_sim/ control calls not counted)."""
    return sum(count for key, count in sim.stats()["by_endpoint"].items() if "/_sim/" not in key)
