# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""fetch_each: one request per id, as many in flight as the pace allows, every answer kept."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError, Throttled
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.fetch_each import fetch_each


def test_more_requests_go_in_flight_as_the_pace_allows_more_within_one_fetch():
    """The pace allows 2 until two answers came, then 8 (a slow start doubling within one fetch): the 8
    later requests only get past the barrier once all eight are in flight at the same time."""
    answered = []
    together = threading.Barrier(8, timeout=10)

    def fetch(task_id):
        if task_id.startswith("first"):
            answered.append(task_id)
        else:
            together.wait()
        return {"id": task_id}

    ids = ["first-1", "first-2"] + ["later-%d" % number for number in range(8)]
    answers = fetch_each(fetch, ids, lambda wanted: 2 if len(answered) < 2 else 8)
    assert list(answers) == ids and not answers.refused


def test_the_pace_is_asked_for_the_whole_fetch_not_for_what_is_left():
    """Unpaced, the pace wants every id of the fetch sent within a cycle: asked about what is left, it would
    shrink with every request sent and the fetch's tail would crawl."""
    asked = []

    def in_flight(wanted):
        asked.append(wanted)
        return 3

    answers = fetch_each(lambda task_id: {"id": task_id}, ["a", "b", "c", "d", "e"], in_flight)
    assert sorted(answers) == ["a", "b", "c", "d", "e"]
    assert asked and set(asked) == {5}


def test_a_refused_id_hides_no_other_answer():
    def fetch(task_id):
        if task_id == "b":
            raise Throttled("HTTP 429", status=429)
        return None if task_id == "c" else {"id": task_id}

    answers = fetch_each(fetch, ["a", "b", "c", "d"], lambda wanted: 2)
    assert list(answers) == ["a", "d"] and answers.refused == ["b"] and answers.unsent == []
    assert isinstance(answers.refusal, Throttled)


def test_any_other_error_is_raised_in_the_callers_thread():
    def fetch(task_id):
        raise ApiError("HTTP 500", status=500)

    with pytest.raises(ApiError):
        fetch_each(fetch, ["a", "b", "c"], lambda wanted: 3)
