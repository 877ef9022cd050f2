# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""poll_schedule: when to poll next, as pure arithmetic on clock readings and TaskState objects.

The loop around it is tested in test_waiter.py (wait) and test_task_watch.py (watch); here each rule alone.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.poll_schedule import (
    BACKOFF_FACTOR,
    PerTaskSchedule,
    SharedSchedule,
    relaxed_throttle,
    throttle_backoff,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_state import SUCCEEDED, TaskState, estimated_finish_at


def seen(task_id, progress_samples=()):
    state = TaskState(task_id)
    state.seen = True
    for at, progress in progress_samples:
        state.sample_progress(at, progress)
    return state


# ---------------------------------------------------------------------------
# throttle hold


@pytest.mark.parametrize("retry_after, current, expected", [
    (None, 1.0, 2.0),      # doubling
    (None, 20.0, 30.0),    # capped at 3 x max_poll_interval
    (7, 1.0, 7.0),         # the server's Retry-After
    (0.2, 1.0, 1.0),       # but never under poll_interval
    ("soon", 3.0, 6.0),    # a hint that is no number is ignored
])
def test_throttle_backoff(retry_after, current, expected):
    assert throttle_backoff(retry_after, current, 1.0, 10.0) == expected


@pytest.mark.parametrize("floor, expected", [(8.0, 4.0), (2.0, 1.0), (1.9, 0.0), (0.0, 0.0)])
def test_the_hold_halves_after_a_good_poll_and_ends_under_twice_poll_interval(floor, expected):
    assert relaxed_throttle(floor, 1.0) == expected


# ---------------------------------------------------------------------------
# the progress-rate estimate (task_state)


def test_estimated_finish_from_two_samples():
    assert estimated_finish_at((0.0, 10), (10.0, 20)) == pytest.approx(90.0)
    assert estimated_finish_at((0.0, 10), (10.0, 10)) is None      # no rise, no estimate
    assert estimated_finish_at(None, (10.0, 20)) is None


def test_progress_that_goes_back_starts_the_estimate_again():
    state = seen("a", [(0.0, 50), (10.0, 60), (20.0, 5)])
    assert (state.rate_start, state.rate_end) == ((20.0, 5), (20.0, 5))
    state.sample_progress(30.0, 25)
    assert state.live_finish_at(30.0) == pytest.approx(30.0 + 75 / 2.0)
    assert state.live_finish_at(80.0) is None                       # overdue: no longer an estimate


# ---------------------------------------------------------------------------
# SharedSchedule


def test_shared_interval_grows_without_a_change_and_resets_after_one():
    schedule = SharedSchedule(1.0, 4.0)
    states = [seen("a")]
    at = [schedule.next_poll(states, states, set(), False, now, now) - now for now in (0.0, 1.0, 2.0, 3.0, 4.0)]
    assert at == [1.5, 2.25, 3.375, 4.0, 4.0]
    assert schedule.next_poll(states, states, set(), True, 5.0, 5.0) == 6.0


def test_shared_interval_counts_from_when_the_poll_was_sent():
    schedule = SharedSchedule(1.0, 10.0)
    states = [seen("a")]
    assert schedule.next_poll(states, states, set(), True, 10.0, 10.8) == 11.0


def test_shared_interval_is_cut_by_a_running_tasks_estimate_but_not_under_poll_interval():
    schedule = SharedSchedule(1.0, 60.0)
    schedule.interval = 40.0
    soon = seen("a", [(0.0, 10), (10.0, 90)])                      # 8 %/s: 100 % at 11.25
    assert schedule.next_poll([soon], [soon], set(), False, 10.0, 10.0) == pytest.approx(11.25)
    almost = seen("b", [(0.0, 10), (10.0, 99.9)])
    assert schedule.next_poll([almost], [almost], set(), False, 10.0, 10.0) == pytest.approx(11.0)


def test_shared_schedule_looks_closely_while_a_task_is_not_visible():
    schedule = SharedSchedule(1.0, 10.0)
    schedule.interval = 8.0
    unseen = TaskState("a")
    assert schedule.next_poll([unseen], [unseen], set(), False, 0.0, 0.0) == 1.0
    gone = seen("b")
    gone.missing_since = 0.0
    assert schedule.next_poll([gone], [gone], set(), False, 0.0, 0.0) == 1.0
    assert schedule.interval == 10.0       # the interval itself still grew


def test_shared_schedule_polls_every_open_task():
    states = [seen("a"), seen("b")]
    assert SharedSchedule(1.0, 10.0).due(states, 0.0, False) == states


# ---------------------------------------------------------------------------
# PerTaskSchedule


def test_each_task_backs_off_from_its_first_sighting():
    schedule = PerTaskSchedule(1.0, 10.0)
    state = TaskState("a")
    times = []
    now = 0.0
    first = {"a"}
    for _poll in range(4):
        state.seen = True
        now = schedule.next_poll([state], [state], first, False, now, now)
        times.append(round(now, 4))
        first = set()
    assert times == [1.5, 3.75, 7.125, 12.1875]
    assert state.interval == pytest.approx(1.0 * BACKOFF_FACTOR ** 4)


def test_only_due_tasks_are_polled_and_all_at_the_deadline():
    schedule = PerTaskSchedule(1.0, 10.0)
    due, later = seen("a"), seen("b")
    due.next_poll_at, later.next_poll_at = 5.0, 9.0
    assert schedule.due([due, later], 5.0, False) == [due]
    assert schedule.due([due, later], 5.0, True) == [due, later]


def test_a_task_at_target_awaiting_stable_for_is_polled_every_poll_interval():
    schedule = PerTaskSchedule(1.0, 10.0)
    state = seen("a")
    state.interval = 6.0
    state.streak = 1
    assert schedule.next_poll([state], [state], set(), False, 20.0, 20.0) == 21.0


def test_siblings_finishing_bound_the_wait_of_the_open_tasks():
    schedule = PerTaskSchedule(1.0, 10.0)
    open_states = [seen(name) for name in "abcd"]
    for state in open_states:
        state.interval, state.polled_at, state.next_poll_at = 10.0, 0.0, 10.0
    finished = seen("done")
    finished.polled_at, finished.verdict = 0.0, SUCCEEDED
    # One sibling seen finishing at 2 s, four open: about 4 x 2 / 1 = 8 s left each, so no task waits
    # longer than sqrt(0.5 x 1 x 8) = 2 s after its last poll (at 0 s); two polls stay poll_interval apart.
    at = schedule.next_poll(open_states, [finished], set(), True, 2.0, 2.0)
    assert [state.next_poll_at for state in open_states] == [pytest.approx(2.0)] * 4
    assert at == pytest.approx(3.0)
