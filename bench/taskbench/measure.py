# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one ansible-playbook and measure its wall time and the CPU of its whole process tree."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import resource
import signal
import subprocess
import time
from dataclasses import dataclass


@dataclass
class PlaybookRun:
    rc: int
    wall_s: float
    cpu_s: float          # user + sys of ansible-playbook and every descendant it reaped
    started_epoch: float  # time.time() right before the launch (the simulator's job clock is epoch time)
    timed_out: bool
    log_path: str


def children_cpu_seconds():
    """User + system CPU of all reaped descendants of this process so far.

    RUSAGE_CHILDREN only grows when a child is reaped, and it includes grandchildren that the child
    reaped (ansible's forked workers and module processes). The harness's own threads, the in-process
    simulator included, are in RUSAGE_SELF and never counted here.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_playbook(command, env, log_path, timeout_s, clock=time.monotonic, wall_clock=time.time):
    """Run ``command`` (an ansible-playbook argv) with its output to ``log_path``.

    The process gets its own session so a timeout can end the whole tree (workers and module processes),
    not just the parent; the tree is reaped before the CPU is read so nothing is lost from the count.
    """
    cpu_before = children_cpu_seconds()
    started_epoch = wall_clock()
    start = clock()
    timed_out = False
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, start_new_session=True)
        try:
            rc = proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            rc = proc.wait()
    wall = clock() - start
    return PlaybookRun(rc=rc, wall_s=wall, cpu_s=children_cpu_seconds() - cpu_before, started_epoch=started_epoch,
                       timed_out=timed_out, log_path=str(log_path))
