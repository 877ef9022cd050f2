# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""task_watch: the engine of the task_events event source (arguments, events, adaptive polling).

No HTTP here: the TaskService is a scripted fake, time the shared fake clock. The watch against the
simulator is in tests/integration/test_task_watch.py, the real ansible-rulebook run in tests/eda/.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.fetch_each import Answers
from ansible_collections.taskgate.huaweicloud.plugins.module_utils import task_watch
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ApiError, AuthError, ContractError, InvalidInput, NotFound, Throttled, WaitTimeout,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_watch import TaskWatch, plan_watch

AUTH = {"auth_token": "unit-test-token", "region": "ap-southeast-1", "project_id": "p" * 32,
        "endpoints": {"rds": "http://127.0.0.1:9/rds"}}

PHASES = {"Running": "running", "Completed": "succeeded", "Failed": "failed"}


def task(task_id, status, progress=None):
    return {"id": task_id, "name": "CreateInstance", "service": "rds", "status": status, "phase": PHASES[status],
            "progress": progress, "fail_reason": "disk full" if status == "Failed" else None}


class FakeTasks(object):
    """TaskService stand-in: each poll pops one scripted answer ({id: task} or an exception)."""

    def __init__(self, answers, listings=None):
        self.answers = list(answers)
        self.listings = list(listings or [])
        self.asked = []
        self.queried = 0

    def fetch_many(self, ids, deadline=None):
        self.asked.append(list(ids))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        kept = Answers((task_id, found) for task_id, found in answer.items() if task_id in ids)
        kept.refused = [task_id for task_id in getattr(answer, "refused", ()) if task_id in ids]
        return kept

    def query(self, plan, deadline=None):
        self.queried += 1
        return list(self.listings.pop(0))


def watch_of(answers, fake_clock, listings=None, **args):
    merged = {"service": "rds", "ids": ["job-1"], "interval": 1, "max_interval": 4}
    merged.update(args)
    merged = dict((key, value) for key, value in merged.items() if value is not None)
    tasks = FakeTasks(answers, listings)
    return TaskWatch(plan_watch(merged), tasks, clock=fake_clock), tasks


# ---------------------------------------------------------------------------
# arguments: checked once, named as the rulebook writes them


@pytest.mark.parametrize("args, option, words", [
    ({"service": "rds", "ids": ["a"], "intervall": 5}, "intervall", "unknown argument intervall"),
    ({"service": "rdss", "ids": ["a"]}, "service", "service must be one of geminidb, rds, ddm, servicestage"),
    ({"ids": ["a"]}, "service", "one of the following is required: service, api"),
    ({"api": "ecs", "ids": ["a"]}, "api", "api must be a dict that defines a job API"),
    ({"service": "rds", "api": {"host": "ecs"}, "ids": ["a"]}, "service", "mutually exclusive: service|api"),
    ({"service": "rds"}, "id", "needs id (or ids) or at least one filter"),
    ({"service": "rds", "id": ["a"], "ids": ["b"]}, "ids", "id and ids are the same argument"),
    ({"service": "rds", "id": ["a"], "poll_interval": 0}, "poll_interval", "more than 0 seconds"),
    ({"service": "rds", "id": ["a"], "poll_interval": 10, "max_poll_interval": 5}, "max_poll_interval",
     "max_poll_interval (5) must not be smaller than poll_interval (10)"),
    ({"service": "rds", "ids": [""]}, "ids", "non-empty strings"),
    ({"service": "ddm", "id": ["ok", ".."]}, "id", "'..'"),
    ({"service": "ddm", "status": "Running"}, "status", "supports lookup by id only"),
    ({"service": "rds", "ids": ["a"], "interval": 0}, "interval", "more than 0 seconds"),
    ({"service": "rds", "ids": ["a"], "interval": "soon"}, "interval", "invalid duration"),
    ({"service": "rds", "ids": ["a"], "interval": 10, "max_interval": 5}, "max_interval", "must not be smaller"),
    ({"service": "rds", "ids": ["a"], "until_terminal": "maybe"}, "until_terminal", "true or false"),
    ({"service": "rds", "ids": ["a"], "until_terminal": ["yes"]}, "until_terminal", "true or false"),
    ({"service": "rds", "status": "Running", "start_time": "yesterday"}, "start_time", "start_time must be a time"),
])
def test_bad_arguments_name_the_argument(args, option, words):
    with pytest.raises(InvalidInput) as caught:
        plan_watch(args)
    assert caught.value.option == option
    assert words in str(caught.value)


def test_arguments_as_a_rulebook_renders_them():
    plan = plan_watch({"service": "rds", "ids": "job-1", "interval": "30s", "until_terminal": "true",
                       "not_found_grace": "2m", "eda_feedback_queue": object()})
    assert (plan.ids, plan.poll_interval, plan.max_poll_interval, plan.until_terminal, plan.not_found_grace) == (
        ["job-1"], 30.0, 60.0, True, 120.0)
    assert plan.query is None and plan.watch and plan.timeout is None
    filtered = plan_watch({"service": "geminidb", "status": "Running"})
    assert filtered.ids == [] and filtered.query.filters == {"status": "Running"}


def test_the_module_names_and_the_old_names_mean_the_same():
    new = plan_watch({"service": "rds", "id": ["job-1"], "poll_interval": 2, "max_poll_interval": 9})
    old = plan_watch({"service": "rds", "ids": ["job-1"], "interval": 2, "max_interval": 9})
    assert [(plan.ids, plan.poll_interval, plan.max_poll_interval) for plan in (new, old)] == [(["job-1"], 2.0, 9.0)] * 2


def test_open_watch_checks_the_credentials_before_any_request():
    class NoSession(object):
        def request(self, *args, **kwargs):
            raise AssertionError("a request was sent")

        def close(self):
            pass

    with pytest.raises(InvalidInput) as caught:
        task_watch.open_watch({"service": "rds", "ids": ["a"]}, environ={"HW_ACCESS_KEY": "AK"}, session=NoSession())
    assert "missing: secret_key" in str(caught.value)
    watch = task_watch.open_watch(dict(AUTH, service="rds", ids=["a"]), environ={"HW_MAX_RETRIES": "2"}, session=NoSession())
    assert watch.tasks.client.config.max_retries == 2
    watch.close()


# ---------------------------------------------------------------------------
# events


def test_one_event_per_status_change_with_the_previous_status(fake_clock):
    watch, _tasks = watch_of([{"job-1": task("job-1", "Running", 10)}, {"job-1": task("job-1", "Running", 50)},
                              {"job-1": task("job-1", "Failed")}], fake_clock)

    first = watch.poll()
    assert [(event["task"]["status"], event["previous_status"], event["previous_phase"], event["service"])
            for event in first] == [("Running", None, None, "rds")]
    assert watch.poll() == []   # progress alone is not a status change
    last = watch.poll()
    assert len(last) == 1
    assert last[0]["task"]["phase"] == "failed" and last[0]["task"]["fail_reason"] == "disk full"
    assert (last[0]["previous_status"], last[0]["previous_phase"]) == ("Running", "running")


def test_terminal_tasks_are_not_fetched_again_and_until_terminal_ends_the_watch(fake_clock):
    watch, tasks = watch_of([{"job-1": task("job-1", "Completed"), "job-2": task("job-2", "Running")},
                             {"job-2": task("job-2", "Completed")}], fake_clock, ids=["job-1", "job-2"],
                            until_terminal=True)

    assert not watch.finished          # nothing polled yet
    watch.poll()
    assert not watch.finished
    watch.poll()
    assert tasks.asked == [["job-1", "job-2"], ["job-2"]]
    assert watch.finished


def test_without_until_terminal_the_watch_never_finishes(fake_clock):
    watch, _tasks = watch_of([{"job-1": task("job-1", "Completed")}], fake_clock)
    watch.poll()
    assert not watch.finished


def test_an_id_never_found_gets_one_unknown_event_after_the_grace(fake_clock):
    watch, tasks = watch_of([{}, {}, {}], fake_clock, not_found_grace=2, until_terminal=True)

    assert watch.poll() == []
    assert watch.next_delay() == 1.0   # missing: polled at the base interval while the grace runs
    fake_clock.sleep(1)
    assert watch.poll() == []
    fake_clock.sleep(1)
    events = watch.poll()
    assert len(events) == 1
    gone = events[0]["task"]
    assert (gone["id"], gone["phase"], gone["status"]) == ("job-1", "unknown", None)
    assert "not found 2s after the watch started" in gone["note"]
    assert watch.finished and len(tasks.asked) == 3


def test_a_refused_request_is_no_evidence_of_absence(fake_clock):
    """The API refused job-1's requests (429) past the grace: no unknown event; job-2's answers still count."""
    refused = Answers({"job-2": task("job-2", "Running")})
    refused.refused = ["job-1"]
    later = Answers({"job-2": task("job-2", "Completed")})
    later.refused = ["job-1"]
    watch, tasks = watch_of([refused, refused, later, {"job-1": task("job-1", "Completed")}], fake_clock,
                            ids=["job-1", "job-2"], not_found_grace=1, until_terminal=True)
    for _poll in range(3):
        events = watch.poll()
        assert all(event["task"]["phase"] != "unknown" for event in events)
        fake_clock.sleep(1)
    assert [event["task"]["phase"] for event in watch.poll()] == ["succeeded"]
    assert watch.finished and tasks.asked[-1] == ["job-1"]


def test_a_task_that_disappears_keeps_its_last_sighting_in_the_unknown_event(fake_clock):
    watch, _tasks = watch_of([{"job-1": task("job-1", "Running")}, {}, {}], fake_clock, not_found_grace=1)
    watch.poll()
    fake_clock.sleep(1)
    assert watch.poll() == []
    fake_clock.sleep(1)
    events = watch.poll()
    assert events[0]["previous_status"] == "Running"
    assert events[0]["task"]["name"] == "CreateInstance" and "last status Running" in events[0]["task"]["note"]


def test_filters_discover_tasks_that_stay_watched_by_id_after_they_leave_the_listing(fake_clock):
    listings = [[task("job-7", "Running")], [], []]
    watch, tasks = watch_of([{"job-7": task("job-7", "Running")}, {"job-7": task("job-7", "Completed")}], fake_clock,
                            listings=listings, ids=None, status="Running", until_terminal=True)

    assert [event["task"]["id"] for event in watch.poll()] == ["job-7"]
    assert tasks.asked == []           # the listing answered for it
    assert watch.poll() == []
    events = watch.poll()
    assert [(event["task"]["status"], event["previous_status"]) for event in events] == [("Completed", "Running")]
    assert tasks.asked == [["job-7"], ["job-7"]] and tasks.queried == 3
    assert watch.finished


def test_a_filter_that_matches_nothing_ends_an_until_terminal_watch_after_one_poll(fake_clock):
    watch, _tasks = watch_of([], fake_clock, listings=[[]], ids=None, status="Running", until_terminal=True)
    assert watch.poll() == [] and watch.finished


# ---------------------------------------------------------------------------
# adaptive polling, deadline-free


def test_the_interval_grows_without_changes_and_resets_after_one(fake_clock):
    running = {"job-1": task("job-1", "Running")}
    watch, _tasks = watch_of([running, running, running, running, running, {"job-1": task("job-1", "Failed")}],
                             fake_clock, max_interval=3)
    delays = []
    for _poll in range(6):
        watch.poll()
        delays.append(watch.next_delay())
        fake_clock.sleep(watch.next_delay())
    assert delays == [1.0, 1.5, 2.25, 3.0, 3.0, 1.0]


def test_a_progress_rate_shortens_the_wait_to_the_estimated_finish(fake_clock):
    watch, _tasks = watch_of([{"job-1": task("job-1", "Running", 10)}, {"job-1": task("job-1", "Running", 20)},
                              {"job-1": task("job-1", "Running", 80)}], fake_clock, max_interval=60)
    watch.poll()
    fake_clock.sleep(10)
    watch.poll()                       # 10 %/10 s: 80 s to go, the interval (1.5 s) is shorter
    assert watch.next_delay() == 1.5
    fake_clock.sleep(50)
    watch.poll()                       # 70 % in 60 s: 20 % left is ~17 s, but the interval is 2.25 s
    assert watch.next_delay() == 2.25


def test_the_eta_caps_a_long_interval(fake_clock):
    answers = [{"job-1": task("job-1", "Running", progress)} for progress in (10,) * 8 + (90,)]
    watch, _tasks = watch_of(answers, fake_clock, max_interval=60)
    for _poll in range(8):
        watch.poll()
        fake_clock.sleep(watch.next_delay())
    assert watch.next_delay() > 17
    fake_clock.sleep(5)
    watch.poll()                       # 10 -> 90 % since the first poll: 10 % left at that rate
    rate = 80 / fake_clock.elapsed
    assert watch.next_delay() == pytest.approx(10 / rate)
    assert watch.next_delay() < 8


@pytest.mark.parametrize("error", [
    Throttled(status=429, error_code="APIGW.0308"),
    ApiError(status=503, error_code="SYS.503"),
    ApiError(status=None, error_msg="ConnectionError: refused"),
    WaitTimeout("the deadline passed before the request could be sent"),
], ids=["429", "503", "connection", "poll-budget"])
def test_transient_errors_back_off_and_the_watch_goes_on(fake_clock, error):
    watch, _tasks = watch_of([error, error, {"job-1": task("job-1", "Running")}, {"job-1": task("job-1", "Running")}],
                             fake_clock, max_interval=4)
    assert watch.poll() == []
    assert watch.warning.startswith("poll skipped, retrying in 2s: ")
    assert watch.next_delay() == 2.0
    assert watch.poll() == [] and watch.next_delay() == 4.0
    assert len(watch.poll()) == 1
    assert watch.warning is None
    assert watch.next_delay() == 2.0   # the floor halves after a good poll
    watch.poll()
    assert watch.next_delay() == 1.5   # and is gone after the next one


def test_retry_after_sets_the_back_off(fake_clock):
    throttled = Throttled(status=429)
    throttled.retry_after = 7
    watch, _tasks = watch_of([throttled], fake_clock)
    watch.poll()
    assert watch.next_delay() == 7.0


@pytest.mark.parametrize("error", [
    AuthError(status=401, error_code="APIGW.0301"),
    NotFound(status=404, error_code="APIGW.0101"),
    ContractError(status=200, field="tasks"),
    ApiError(status=400, error_code="DBS.200001"),
], ids=["auth", "gateway-404", "contract", "bad-request"])
def test_errors_that_stay_wrong_end_the_watch(fake_clock, error):
    watch, _tasks = watch_of([error], fake_clock)
    with pytest.raises(type(error)):
        watch.poll()
