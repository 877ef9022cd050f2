# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by every unit test: the one fake clock."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

# A start value far from zero catches code that mixes absolute clock readings with elapsed seconds.
CLOCK_START = 5000.0


class FakeClock(object):
    """Monotonic clock + sleep that only move when told to; records every sleep.

    ``clock()`` (or calling the object) reads it, ``sleep(s)`` advances it, ``advance(s)`` moves it
    without a recorded sleep (a request that takes time), ``elapsed`` is the time since the start.
    """

    def __init__(self, start=CLOCK_START):
        self.start = start
        self.now = start
        self.sleeps = []

    def __call__(self):
        return self.now

    def clock(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0, "asked to sleep %r seconds" % (seconds,)
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds):
        self.now += seconds

    @property
    def elapsed(self):
        return self.now - self.start


@pytest.fixture
def fake_clock():
    return FakeClock()


@pytest.fixture(autouse=True)
def _no_pace_learnt_by_an_earlier_test():
    """The endpoints' pacing is process-wide (rate_limit.py): one test's 429s must not slow the next."""
    from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rate_limit import forget_limiters
    forget_limiters()
    yield
    forget_limiters()
