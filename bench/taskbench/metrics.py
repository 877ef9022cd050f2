# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure numbers from simulator counters: requests per side and per-job detection lag."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import statistics

# Simulator paths that are not a cloud service's API: IAM (token issuing) and the simulator's own
# control API. Only service endpoints count as "requests" of a side.
NON_SERVICE_PREFIXES = ("/iam", "/_sim", "iam", "_sim")


def is_service_endpoint(endpoint_key, services):
    """True when a by_endpoint key belongs to one of ``services``.

    Keys look like "GET /rds/v3/{project_id}/tasklist" or "rds GET /v3/..."; both are matched by
    the service's path prefix or leading word.
    """
    words = endpoint_key.split()
    for word in words:
        for service in services:
            if word == service or word.startswith("/%s/" % service) or word == "/%s" % service:
                return True
    return False


def service_requests(by_endpoint, services):
    """Requests served on the endpoints of ``services`` (IAM and /_sim excluded)."""
    return sum(count for key, count in by_endpoint.items() if is_service_endpoint(key, services))


def detection_lags(job_ids, first_terminal_served, job_end):
    """Per-job lag in seconds: when a terminal status was first served minus when the job really ended.

    Returns (lags, missing): ``missing`` are the ids whose terminal status was never served.
    """
    lags = []
    missing = []
    for job_id in job_ids:
        served = first_terminal_served.get(job_id)
        ended = job_end.get(job_id)
        if served is None or ended is None:
            missing.append(job_id)
            continue
        lags.append(max(0.0, served - ended))
    return lags, missing


def summarize(values):
    """{"median", "max", "mean"} of a list, None for each when empty."""
    if not values:
        return {"median": None, "max": None, "mean": None}
    return {"median": statistics.median(values), "max": max(values), "mean": statistics.fmean(values)}


def ratio(numerator, denominator):
    """numerator / denominator, None when either is unknown or the denominator is 0."""
    if numerator is None or denominator in (None, 0):
        return None
    return numerator / denominator
