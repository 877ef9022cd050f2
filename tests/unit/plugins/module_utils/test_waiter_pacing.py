# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The waiter under an API rate limit: no answer lost, a refused request is no evidence of absence,
the oldest-waiting ids first when the pace bounds a refresh (issue 26)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from waiter_scripts import make_task, plan_for

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.progress_lines import ProgressReporter
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.fetch_each import Answers
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.waiter import Waiter


class QuotaCloud(object):
    """refresh(ids, deadline) of a per-id service behind a gateway that refuses some ids.

    ``ends``: {id: seconds its job runs from the start}; ``refuse(id, at)`` says whether the request
    for ``id`` at ``at`` seconds is refused (429 after every retry). Each asked id costs ``per_request``
    seconds of the clock. Returns an ``Answers`` as fetch_many does."""

    def __init__(self, clock, ends, refuse=lambda task_id, at: False, per_request=0.0, unknown=()):
        self.time = clock
        self.ends = ends
        self.refuse = refuse
        self.per_request = per_request
        self.unknown = set(unknown)
        self.asked = []

    def __call__(self, ids, deadline):
        answers = Answers()
        self.asked.append(list(ids))
        for task_id in ids:
            self.time.advance(self.per_request)
            at = self.time.elapsed
            if self.refuse(task_id, at):
                answers.refused.append(task_id)
            elif task_id in self.unknown:
                continue
            else:
                answers[task_id] = make_task(task_id, "Completed" if at >= self.ends[task_id] else "Running", None, "rds")
        return answers


def _waiter(clock, cloud, ids, capacity=None, on_event=None, **options):
    options.setdefault("poll_interval", 1)
    options.setdefault("max_poll_interval", 5)
    plan = plan_for(ids=ids, service="rds", per_task_schedule=True, **options)
    return Waiter(cloud, plan, clock=clock.clock, sleep=clock.sleep, on_event=on_event, capacity=capacity)


def test_a_refused_id_does_not_hide_the_answers_of_the_others(fake_clock):
    cloud = QuotaCloud(fake_clock, {"a": 0, "b": 0, "c": 0}, refuse=lambda task_id, at: task_id == "b" and at < 3)
    result = _waiter(fake_clock, cloud, ["a", "b", "c"]).run()
    assert result.outcome == "succeeded"
    assert cloud.asked[0] == ["a", "b", "c"] and cloud.asked[1] == ["b"]   # a and c were answered once, done
    assert result.timeline["a"][0]["at"] == 0.0
    assert result.throttled == len(cloud.asked) - 1


def test_not_found_grace_never_runs_out_on_refused_requests(fake_clock):
    """Refused for 60 s (grace 30 s), then answered: the job existed all along and succeeds."""
    cloud = QuotaCloud(fake_clock, {"a": 0, "b": 10}, refuse=lambda task_id, at: task_id == "b" and at < 60)
    result = _waiter(fake_clock, cloud, ["a", "b"], not_found_grace=30, timeout=300).run()
    assert result.outcome == "succeeded", result.message
    assert result.succeeded == ["a", "b"]


def test_an_answer_that_says_absent_still_counts_after_refusals(fake_clock):
    """Only an answer is evidence: an id refused until 40 s and then answered "no such job" fails at once."""
    cloud = QuotaCloud(fake_clock, {"a": 0}, refuse=lambda task_id, at: at < 40, unknown={"a"})
    result = _waiter(fake_clock, cloud, ["a"], not_found_grace=30, timeout=300).run()
    assert result.outcome == "failed"
    assert 40 <= result.elapsed < 42
    assert "was not found" in result.reasons["a"]


def test_the_timeout_says_which_ids_could_not_be_asked(fake_clock):
    cloud = QuotaCloud(fake_clock, {"a": 100, "b": 0}, refuse=lambda task_id, at: task_id == "b")
    result = _waiter(fake_clock, cloud, ["a", "b"], timeout=20, not_found_grace=5).run()
    assert result.outcome == "timeout"
    assert result.pending == ["a", "b"]
    assert "b could not be asked" in result.message and "b not visible yet" not in result.message
    assert "throttled %d polls" % result.throttled in result.message
    assert result.tasks[1]["note"] == "not visible yet"


def test_a_rate_bound_refresh_asks_the_ids_waiting_longest_first(fake_clock):
    """Three ids a refresh at most: every id is asked once before any is asked twice."""
    ids = ["j%02d" % number for number in range(9)]
    cloud = QuotaCloud(fake_clock, dict((task_id, 100) for task_id in ids), per_request=0.1)
    _waiter(fake_clock, cloud, ids, capacity=lambda: 3, timeout=12).run()
    assert [len(asked) for asked in cloud.asked[:3]] == [3, 3, 3]
    assert sorted(sum(cloud.asked[:3], [])) == ids
    counts = dict((task_id, sum(asked.count(task_id) for asked in cloud.asked)) for task_id in ids)
    assert max(counts.values()) - min(counts.values()) <= 1


def test_capacity_none_asks_every_due_id(fake_clock):
    ids = ["a", "b", "c", "d"]
    cloud = QuotaCloud(fake_clock, dict((task_id, 0) for task_id in ids))
    _waiter(fake_clock, cloud, ids, capacity=lambda: None).run()
    assert cloud.asked == [ids]


def test_progress_mentions_throttling_once(fake_clock):
    lines = []
    reporter = ProgressReporter("rds", lines.append, subject="3 rds tasks")
    cloud = QuotaCloud(fake_clock, {"a": 5, "b": 5, "c": 5}, refuse=lambda task_id, at: task_id == "b" and at < 8)
    waiter = _waiter(fake_clock, cloud, ["a", "b", "c"], on_event=reporter)
    reporter.lookup = waiter.latest_task
    result = waiter.run()
    assert result.outcome == "succeeded" and result.throttled > 2
    assert len([line for line in lines if "throttl" in line]) == 1
    assert "refused by the API's rate limit" in lines[-1]
