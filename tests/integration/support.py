# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers the integration tests import by name (``from support import ...``).

They live here, not in conftest.py: with several conftest.py files in the suite (bench/tests has
one), ``from conftest import`` would pick whichever was imported first.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

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
