# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a running job's progress figure advances: the ``progress_profile`` knob.

``linear`` (the default): progress proportional to the elapsed share of the job, capped at 99.

``phased``: what the real per-id job APIs show (DDM and RDS ``process``, GeminiDB ``progress``). A
create job runs a few steps of different lengths (order resources, create the VMs, install, start,
configure), and the figure is set step by step: it advances at a different speed in each phase,
some phases hold a value for their whole length and then jump, and it reaches a high value (90 or
more) before the job ends. So the figure is an integer that is not proportional to time, and an
estimate of the end drawn from it is off by a factor of a few when the phase changes. Not
modelled, because the real APIs do not do it: progress going back, or staying far below the end
when the job finishes.

The shape of a job is drawn when the job is created from a RNG seeded by the job's id (itself drawn
from the simulator's seed), so it is deterministic and does not change the simulator's other draws.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random

PROFILES = ("linear", "phased")

# Phases per job, and the spread of each phase's share of the time and of the progress (weights drawn
# uniformly from this range then normalized: a phase runs up to 3x faster or slower than the mean).
PHASES = (3, 5)
SHARE_SPREAD = (0.5, 1.5)
# Chance that a phase (other than the last) holds its first value and jumps at its end.
PLATEAU_CHANCE = 0.3
# The figure the last phase reaches at the job's end (then the job reports 100 / finished).
TOP_PROGRESS = (90, 98)


def phased_points(job_id):
    """The (share of the duration, progress, holds) breakpoints of a ``phased`` job, first at (0, 0).

    ``holds`` on a breakpoint means the phase starting there keeps its starting value until the next
    breakpoint (a plateau followed by a jump).
    """
    rng = random.Random("progress:%s" % (job_id,))
    count = rng.randint(*PHASES)
    time_weights = [rng.uniform(*SHARE_SPREAD) for _unused in range(count)]
    progress_weights = [rng.uniform(*SHARE_SPREAD) for _unused in range(count)]
    top = rng.randint(*TOP_PROGRESS)
    holds = [rng.random() < PLATEAU_CHANCE for _unused in range(count - 1)] + [False]   # the last phase advances
    points = []
    elapsed = done = 0.0
    for index in range(count):
        points.append((elapsed / sum(time_weights), int(round(top * done / sum(progress_weights))), holds[index]))
        elapsed += time_weights[index]
        done += progress_weights[index]
    points.append((1.0, top, False))
    return tuple(points)


def percent(profile_points, fraction):
    """Progress (integer, capped at 99) at ``fraction`` (0..1) of the job's duration.

    ``profile_points`` None: linear; else the breakpoints of ``phased_points``.
    """
    if profile_points is None:
        return min(99, int(100 * fraction))
    for (start, low, holds), (end, high, _next_holds) in zip(profile_points, profile_points[1:]):
        if fraction < end:
            if holds or end <= start:
                return min(99, low)
            return min(99, int(low + (high - low) * (fraction - start) / (end - start)))
    return min(99, profile_points[-1][1])
