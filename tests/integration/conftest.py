# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures for tests that talk HTTP to the bundled simulator.

`sim`, `sim_clock` and `live_sim` come from tests/simulator/pytest_plugin.py (loaded in pytest.ini).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from support import SimTime, token_params


@pytest.fixture
def auth_params(sim):
    return token_params(sim)


@pytest.fixture
def sim_time(sim_clock):
    """run_wait on the simulator's ManualClock: sleeps advance it, nothing really waits."""
    return SimTime(sim_clock)
