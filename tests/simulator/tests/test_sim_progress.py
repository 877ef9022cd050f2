# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The progress_profile knob: linear by default, "phased" as the real per-id job APIs report it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from simulator import ManualClock, Simulator
from simulator import progress
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import Api  # noqa: F401  pylint: disable=unused-import

pytestmark = pytest.mark.simulator

START = 1767225600   # 2026-01-01T00:00:00Z
DURATION = 200.0


def ddm_process(api, job_id):
    """The DDM job's ``process`` as the API serves it ("37%", or "" once finished)."""
    job = api.ok_json("ddm", "/v3/{project_id}/jobs/%s" % job_id)["job"]
    return int(job["process"].rstrip("%")) if job["process"] != "" else None


def progress_curve(profile, seed=0, jobs=5, step=4.0):
    """Every job's served DDM ``process`` every ``step`` seconds, on a fresh simulator."""
    clock = ManualClock(start=START)
    with Simulator(seed=seed, clock=clock) as sim:
        if profile is not None:
            sim.configure(progress_profile=profile)
        api = Api(sim)
        ids = [sim.create_job("ddm", duration=DURATION, outcome="success") for _unused in range(jobs)]
        curves = dict((job_id, []) for job_id in ids)
        elapsed = 0.0
        while elapsed < DURATION:
            for job_id in ids:
                curves[job_id].append((elapsed, ddm_process(api, job_id)))
            clock.advance(step)
            elapsed += step
        finished = [ddm_process(api, job_id) for job_id in ids]
        api.session.close()
    return [curves[job_id] for job_id in ids], finished


def test_linear_is_the_default_and_proportional_to_time():
    curves, finished = progress_curve(None, jobs=1)
    assert curves[0] == [(elapsed, min(99, int(100 * (elapsed / DURATION)))) for elapsed, _value in curves[0]]
    assert finished == [None]


def test_phased_progress_is_an_integer_that_never_goes_back_and_reaches_a_high_value():
    curves, finished = progress_curve("phased")
    assert finished == [None] * len(curves)
    for curve in curves:
        values = [value for _elapsed, value in curve]
        assert values == sorted(values)
        assert values[0] == 0 and 0 <= min(values) and max(values) <= 99
        # High before the end: at 95 % of the duration a real job is well past most of its work.
        assert [value for elapsed, value in curve if elapsed >= 0.95 * DURATION][0] >= 80
        assert max(values) >= progress.TOP_PROGRESS[0] - 1


def test_phased_progress_is_not_proportional_to_time():
    curves, _finished = progress_curve("phased")
    for curve in curves:
        # Somewhere the figure is far from the linear one (phases of different speed)...
        assert max(abs(value - 100 * elapsed / DURATION) for elapsed, value in curve) >= 5
    # ... and the rates differ between phases: the speed over each tenth of the job is not constant.
    speeds = set()
    for curve in curves:
        tenths = [value for elapsed, value in curve if elapsed % (DURATION / 10) == 0]
        speeds.update(later - earlier for earlier, later in zip(tenths, tenths[1:]))
    assert max(speeds) >= 2 * max(1, min(speeds))


def test_phased_progress_holds_values_then_jumps_somewhere():
    curves, _finished = progress_curve("phased", jobs=10)
    longest_hold = max(max(sum(1 for _e, value in curve if value == held) for held in set(v for _e, v in curve))
                       for curve in curves)
    assert longest_hold * 4.0 >= 0.1 * DURATION      # a plateau of at least a tenth of the job
    assert max(later - earlier for curve in curves for (_a, earlier), (_b, later) in zip(curve, curve[1:])) >= 5


def test_phased_progress_is_seeded_and_deterministic():
    assert progress_curve("phased", seed=3) == progress_curve("phased", seed=3)
    assert progress_curve("phased", seed=3) != progress_curve("phased", seed=4)


def test_the_profile_is_taken_when_a_job_is_created():
    clock = ManualClock(start=START)
    with Simulator(seed=0, clock=clock) as sim:
        linear = sim.create_job("ddm", duration=DURATION)
        sim.configure(progress_profile="phased")
        phased = sim.create_job("ddm", duration=DURATION)
        sim.configure(progress_profile="linear")
        clock.advance(DURATION / 2)
        assert sim.job(linear)["progress"] == 50
        assert sim.job(phased)["progress"] == progress.percent(progress.phased_points(phased), 0.5)


def test_the_profile_does_not_change_the_other_seeded_draws():
    def draws(profile):
        with Simulator(seed=5, clock=ManualClock(start=START)) as sim:
            sim.configure(progress_profile=profile)
            ids = [sim.create_job("ddm") for _unused in range(3)]
            return ids, [sim.job(job_id)["duration"] for job_id in ids]
    assert draws("linear") == draws("phased")


@pytest.mark.parametrize("value", ["steps", "", 1])
def test_an_unknown_profile_is_refused_with_the_allowed_values(value):
    with Simulator(seed=0, clock=ManualClock(start=START)) as sim:
        with pytest.raises(ValueError, match="progress_profile must be one of linear, phased"):
            sim.configure(progress_profile=value)
        assert sim.configure()["progress_profile"] == "linear"


@pytest.mark.parametrize("profile", ["linear", "phased"])
def test_every_progress_figure_is_between_0_and_99(profile):
    points = None if profile == "linear" else progress.phased_points("some-job")
    values = [progress.percent(points, index / 1000.0) for index in range(1001)]
    assert all(isinstance(value, int) and 0 <= value <= 99 for value in values)
    assert values == sorted(values)
