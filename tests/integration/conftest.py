# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures for tests that talk HTTP to the bundled simulator.

`sim`, `sim_clock` and `live_sim` come from tests/simulator/pytest_plugin.py (loaded in pytest.ini).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import clear_token_cache

from support import SimTime, token_params


@pytest.fixture
def auth_params(sim):
    return token_params(sim)


@pytest.fixture
def sim_time(sim_clock):
    """run_wait on the simulator's ManualClock: sleeps advance it, nothing really waits."""
    return SimTime(sim_clock)


@pytest.fixture
def fresh_token_cache():
    """No IAM token cached by an earlier test (the cache is process-wide), none left for the next."""
    clear_token_cache()
    yield
    clear_token_cache()


@pytest.fixture
def module_process(monkeypatch):
    """AnsibleModule as in a module process, even after other tests imported controller code (ansible-core 2.19+
    otherwise shows module warnings on the controller instead of returning them)."""
    try:
        from ansible.module_utils import _internal
    except ImportError:  # ansible-core < 2.19
        return
    monkeypatch.setattr(_internal, "is_controller", False, raising=False)


@pytest.fixture(autouse=True)
def _no_pace_learnt_by_an_earlier_test():
    """The endpoints' pacing is process-wide (rate_limit.py): one test's 429s must not slow the next."""
    from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rate_limit import forget_limiters
    forget_limiters()
    yield
    forget_limiters()
