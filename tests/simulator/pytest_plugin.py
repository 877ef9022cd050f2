# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest fixtures that start the simulator, for its own tests and the integration tests.

Loaded with ``-p simulator.pytest_plugin`` (pytest.ini): one definition serves both trees.
`sim` runs on a ManualClock (tests advance time, nothing sleeps); `live_sim` runs on real time
for the playbook tests, where ansible-playbook is a separate process.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from simulator import ManualClock, Simulator


@pytest.fixture
def sim_clock():
    return ManualClock()


@pytest.fixture
def sim(sim_clock):
    with Simulator(seed=0, clock=sim_clock) as server:
        yield server


@pytest.fixture
def live_sim():
    with Simulator(seed=0) as server:
        yield server
