# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""poll_schedule: when to poll next, as pure arithmetic on clock readings and TaskState objects.

The loop around it is tested in test_waiter.py (wait) and test_task_watch.py (watch); here each rule alone.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.poll_schedule import (
    APPROACH_SHARE,
    BACKOFF_FACTOR,
    BATCH_TAIL,
    END_SHARE,
    STRETCH_FACTOR,
    TAIL_WITHIN,
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


def test_the_recent_rate_window_is_the_latest_sample_and_one_half_the_span_before():
    state = seen("a", [(0.0, 0), (10.0, 10), (20.0, 20), (30.0, 60), (40.0, 80)])
    # Span 0-40 s: the window starts at the latest sample at or before 20 s, so the fast recent phase
    # (3 %/s) counts, not the slow start (1 %/s) the whole history would average in.
    assert state.recent_rate_window() == ((20.0, 20), (40.0, 80))
    assert (state.rate_start, state.rate_end) == ((0.0, 0), (40.0, 80))   # the shared schedule's estimate is unchanged
    plateau = seen("b", [(0.0, 0), (10.0, 40), (20.0, 40), (30.0, 40)])
    assert plateau.recent_rate_window() == ((10.0, 40), (30.0, 40))      # standing still: no rise in the window
    assert seen("c").recent_rate_window() is None


def test_progress_samples_are_bounded_and_restart_when_progress_goes_back():
    state = seen("a", [(float(at), at) for at in range(40)])
    assert len(state.progress_samples) == 16 and state.progress_samples[-1] == (39.0, 39)
    state.sample_progress(40.0, 3)
    assert state.progress_samples == [(40.0, 3)]


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


# ---------------------------------------------------------------------------
# PerTaskSchedule: progress estimates


def polled_once(schedule, state, at, first=False, still_open=BATCH_TAIL + 1):
    """The next poll of ``state`` polled (and answered) at ``at``: a clock reading. ``still_open``: how many
    tasks of its wait are open, ``state`` included (by default more than the batch's tail)."""
    others = [seen("other%d" % index) for index in range(still_open - 1)]
    schedule.next_poll([state] + others, [state], {state.task_id} if first else set(), False, at, at)
    return state.next_poll_at


def visible(task_id, samples, first_seen_at=0.0, interval=10.0):
    state = seen(task_id, samples)
    state.first_seen_at, state.interval = first_seen_at, interval / BACKOFF_FACTOR   # the back-off grows to interval
    return state


def test_a_far_estimate_is_approached_in_steps_beyond_max_poll_interval():
    schedule = PerTaskSchedule(1.0, 10.0)
    # 0 -> 40 % in 40 s: 60 % left at 1 %/s, 60 s: wait APPROACH_SHARE of it, more than max_poll_interval.
    state = visible("a", [(0.0, 0), (40.0, 40)])
    assert polled_once(schedule, state, 40.0) == pytest.approx(40.0 + APPROACH_SHARE * 60.0)
    # Much further: never more than STRETCH_FACTOR x max_poll_interval.
    slow = visible("b", [(0.0, 0), (40.0, 2)])
    assert polled_once(schedule, slow, 40.0) == pytest.approx(40.0 + STRETCH_FACTOR * 10.0)


def test_a_close_estimate_is_aimed_at_and_an_overdue_one_is_watched_closely():
    schedule = PerTaskSchedule(1.0, 10.0)
    close = visible("a", [(0.0, 0), (90.0, 97)])          # 3 % left at 1.08 %/s: 2.8 s
    assert polled_once(schedule, close, 90.0) == pytest.approx(90.0 + 3 / (97 / 90.0))
    # At 50 % since 15 s: the recent half (15, 50) -> (40, 50) stood still, under 1 % in 25 s, so the end is
    # at least 50 x 25 s away: the longest wait, STRETCH_FACTOR x max_poll_interval (5 x 40 s watched is more).
    plateau = visible("b", [(0.0, 0), (15.0, 50), (40.0, 50)])
    assert polled_once(schedule, plateau, 40.0) == pytest.approx(40.0 + STRETCH_FACTOR * 10.0)
    # 50 -> 99 % between 15 and 30 s (the recent half): 1 % left at 49/15 %/s, due at 30.3 s; at 40 s it is
    # 9.7 s overdue: wait half of that, not the back-off's 10 s.
    late = visible("c", [(0.0, 0), (15.0, 50), (30.0, 99)])
    assert polled_once(schedule, late, 40.0) == pytest.approx(40.0 + 0.5 * (40.0 - (30.0 + 1 / (49 / 15.0))))


def test_the_last_tasks_of_a_long_wait_are_watched_every_poll_interval_near_their_estimate():
    schedule = PerTaskSchedule(1.0, 10.0)
    # 3 % left at 1.08 %/s: 2.8 s. Among many open tasks it is aimed at; as one of the last BATCH_TAIL,
    # watched for minutes, it is polled every poll_interval (its lag is the wait's overrun).
    assert polled_once(schedule, visible("a", [(0.0, 0), (90.0, 97)]), 90.0) == pytest.approx(90.0 + 3 / (97 / 90.0))
    assert polled_once(schedule, visible("b", [(0.0, 0), (90.0, 97)]), 90.0, still_open=BATCH_TAIL) == pytest.approx(91.0)
    # Further than TAIL_WITHIN x poll_interval: approached as before.
    far = visible("c", [(0.0, 0), (90.0, 60)])
    assert polled_once(schedule, far, 90.0, still_open=1) == pytest.approx(90.0 + APPROACH_SHARE * 60.0)
    assert TAIL_WITHIN < 60.0
    # A short wait (watched under max_poll_interval) keeps aiming at its estimate: a job of seconds keeps its few polls.
    short = visible("d", [(0.0, 0), (3.0, 60)], interval=1.5)
    assert polled_once(schedule, short, 3.0, still_open=1) == pytest.approx(3.0 + 40 / 20.0)


def test_a_standstill_is_trusted_only_a_few_times_as_long_as_it_was_watched():
    schedule = PerTaskSchedule(1.0, 10.0)
    # 0 % at 1.5 s and at 3 s (first seen at 1.5 s): under 1 % in 1.5 s, so at least 150 s left, but a short
    # job can sit at 0 % for its first seconds: the wait is at most 5 x 1.5 s watched.
    state = visible("a", [(1.5, 0), (3.0, 0)], first_seen_at=1.5, interval=1.5)
    assert polled_once(schedule, state, 3.0) == pytest.approx(3.0 + 5 * 1.5)


def test_finished_siblings_teach_the_figure_jobs_end_at():
    schedule = PerTaskSchedule(1.0, 10.0)
    siblings = [visible("s%d" % index, [(0.0, 0), (50.0, 50)]) for index in range(3)]
    for sibling in siblings:
        polled_once(schedule, sibling, 50.0)                 # 1 %/s, estimated end at 100 s
    # Seen done at 110 s, last seen open at 50 s: each ended in between, taken at END_SHARE of the span
    # (95 s), so at 95 % (50 % + 45 s x 1 %/s).
    for sibling in siblings:
        sibling.verdict = SUCCEEDED
        sibling.polled_at = 50.0
    schedule.next_poll([], siblings, set(), True, 110.0, 110.0)
    assert 50.0 + END_SHARE * 60.0 == 95.0
    # Polled at 125 s (the finishes are older than max_poll_interval: no siblings' bound), 1 %/s towards
    # 95 %, not 100 %: 15 s left, not 20 s.
    state = visible("a", [(45.0, 0), (125.0, 80)])
    assert polled_once(schedule, state, 125.0) == pytest.approx(125.0 + APPROACH_SHARE * 15.0)
    # A task already past 95 % has no sibling that ended above it: 100 % again (4 s, aimed at).
    past = visible("b", [(29.0, 0), (125.0, 96)])
    assert polled_once(schedule, past, 125.0) == pytest.approx(125.0 + 4.0)


def test_siblings_bound_a_task_with_an_estimate_only_at_the_end_of_a_batch():
    def bounded(open_count):
        schedule = PerTaskSchedule(1.0, 10.0)
        open_states = [visible("o%d" % index, [(0.0, 0), (10.0, 10)]) for index in range(open_count)]
        for state in open_states:
            polled_once(schedule, state, 10.0)                # 90 % left at 1 %/s: due at 64 s
        finished = seen("done")
        finished.polled_at, finished.verdict = 10.0, SUCCEEDED
        schedule.next_poll(open_states, [finished], set(), True, 12.0, 12.0)
        return open_states[0].next_poll_at
    assert bounded(4) == pytest.approx(10.0 + APPROACH_SHARE * 90.0)
    # Three open, one sibling finished in 2 s: about 6 s left each: sqrt(0.5 x 1 x 6) = 1.73 s after 10 s.
    assert bounded(3) == pytest.approx(10.0 + 3 ** 0.5)


def test_a_task_without_progress_keeps_its_back_off():
    schedule = PerTaskSchedule(1.0, 10.0)
    state = visible("a", [], interval=10.0)
    assert polled_once(schedule, state, 100.0) == pytest.approx(110.0)
