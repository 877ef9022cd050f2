# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one deadline of a wait: a reading of a monotonic clock, made once and handed down unchanged.

``wait_runner`` makes it from the plan's ``deadline_epoch`` (the earlier of ``timeout`` and the
``deadline`` option, in epoch seconds: the only wall-clock figure) when the wait starts; the engine
naps and stops at ``at``, and each poll's requests get ``request_limit()``: ``at``, except that the
poll which starts at the deadline still has ``final_poll_budget`` seconds to answer (a task seen
terminal in that poll counts). The client's retries and sleeps never go past the limit they get.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

# Seconds a poll that starts just before the deadline may take to answer (HTTP timeout and retries).
FINAL_POLL_BUDGET = 5.0
# A deadline that already passed still gets one poll: tasks that finished meanwhile pass the gate.
EXPIRED_BUDGET = 0.001


class Deadline(object):
    """``at``: the end, in seconds of ``clock`` (monotonic)."""

    __slots__ = ("at", "clock", "final_poll_budget")

    def __init__(self, at, clock=time.monotonic, final_poll_budget=FINAL_POLL_BUDGET):
        self.at = at
        self.clock = clock
        self.final_poll_budget = final_poll_budget

    @classmethod
    def from_epoch(cls, deadline_epoch, wall_clock=time.time, clock=time.monotonic):
        """The monotonic deadline of an epoch deadline, read once now (a passed one leaves EXPIRED_BUDGET)."""
        return cls(clock() + max(deadline_epoch - wall_clock(), EXPIRED_BUDGET), clock)

    def remaining(self):
        return self.at - self.clock()

    def passed(self):
        return self.clock() >= self.at

    def request_limit(self):
        """Where the requests of a poll sent now must stop: the deadline, or the final poll's budget."""
        return max(self.at, self.clock() + self.final_poll_budget)
