# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud job API simulator (GeminiDB, RDS, DDM, ServiceStage CAS, ECS, EVS, BMS, IAM) on 127.0.0.1.

    from simulator import Simulator, ManualClock
    with Simulator(seed=0, clock=ManualClock()) as sim:
        job_id = sim.create_job("rds", duration=5)

See README.md in this folder for the Python API, the /_sim/ control API and the CLI.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .server import DEFAULT_PROJECT_ID, DEFAULT_REGION, Simulator
from .state import ManualClock, SystemClock

__all__ = ["Simulator", "ManualClock", "SystemClock", "DEFAULT_PROJECT_ID", "DEFAULT_REGION"]
