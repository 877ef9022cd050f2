# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the AWX-style tests (tests/utils/runner.sh runs them with .venv-runner).

The collection comes from the built artifact (``make build``), installed with ``ansible-galaxy
collection install`` into a collections path of its own, as a user or an EE image build installs it.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import os
import subprocess
import sys

import pytest

from simulator import Simulator

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

BUILD_DIR = os.environ.get("BUILD_DIR") or os.path.join(os.path.dirname(os.path.dirname(HERE)), "build")


@pytest.fixture(scope="session")
def built_artifact():
    found = sorted(glob.glob(os.path.join(BUILD_DIR, "taskgate-huaweicloud-*.tar.gz")))
    if len(found) != 1:
        pytest.fail("expected one built artifact in %s (make build), found %s" % (BUILD_DIR, found or "none"))
    return found[0]


@pytest.fixture(scope="session")
def user_collections(tmp_path_factory, built_artifact):
    """A collections path filled by ``ansible-galaxy collection install <artifact>``, nothing else."""
    path = str(tmp_path_factory.mktemp("collections"))
    env = dict(os.environ, ANSIBLE_HOME=str(tmp_path_factory.mktemp("ansible-home")))
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)
    completed = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-galaxy"), "collection", "install",
                                "-p", path, built_artifact], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=120, check=False)
    assert completed.returncode == 0, completed.stdout.decode()
    assert os.path.isfile(os.path.join(path, "ansible_collections", "taskgate", "huaweicloud", "MANIFEST.json"))
    return path


@pytest.fixture
def tls_sim():
    """The simulator behind HTTPS with a private CA: only a correctly injected CA file lets the jobs through."""
    with Simulator(seed=0, tls="ca") as server:
        yield server
