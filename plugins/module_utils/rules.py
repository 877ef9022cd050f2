# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Status matching and completion rules: which raw statuses mean done, failed or still going.

One normalisation rule (``status_key``: surrounding blanks stripped, case folded) serves both the
task model (``match_phase``: the phase of a job or sub-task status) and ``CompletionRules.classify``,
so ``COMPLETED``, ``completed`` and `` Completed `` mean the same as the catalog's ``Completed``
everywhere. Overrides (``target_states``, ``pending_states``, ``failure_states``) are matched the
same way and kept in the catalog's spelling.

Semantics of ``classify``: defaults come from the service catalog phases. With explicit
``pending_states`` (or for a declared API, whose entry has ``strict_statuses``) a status outside all
three lists is UNEXPECTED (Terraform semantics). Without
it, unknown statuses count as PENDING, but a *terminal* catalog status that is neither target nor
failure is OTHER_TERMINAL: it will never change again, so waiting would only end in a timeout.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import PHASES
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import describe_value

# The catalog phases a rule can come from ("unknown" statuses are never a default of any list).
RULE_PHASES = ("pending", "running", "succeeded", "failed")

# What CompletionRules.classify returns.
TARGET = "target"
FAILURE = "failure"
PENDING = "pending"
UNEXPECTED = "unexpected"
OTHER_TERMINAL = "other_terminal"

# Raw statuses whose verdict classify remembers (a service has a handful; this bounds a misbehaving one).
_MAX_REMEMBERED_STATUSES = 256

# How a whole wait ends (error: an API error stopped it before the others could be told).
OUTCOME_SUCCEEDED = "succeeded"
OUTCOME_FAILED = "failed"
OUTCOME_TIMEOUT = "timeout"
OUTCOME_ERROR = "error"


def status_key(status):
    """The one status normalisation rule: blanks around it stripped, case folded; None if not a string."""
    if not isinstance(status, str):
        return None
    return status.strip().lower()


def match_phase(phases, status):
    """The phase (pending|running|succeeded|failed|unknown) of a raw ``status`` in a catalog ``phases`` dict.

    Matching follows ``status_key``; a value the catalog does not know (or no string) is "unknown".
    """
    key = status_key(status)
    if key is None:
        return "unknown"
    for phase in PHASES:
        for value in phases.get(phase, ()):
            if key == status_key(value):
                return phase
    return "unknown"


def _unique(values):
    seen = set()
    result = []
    for value in values:
        if value not in seen:
            seen.add(value)
            result.append(value)
    return result


class CompletionRules(object):
    """Which raw statuses mean done, failed or still going, for one service.

    Build with ``from_phases`` (pure) or ``for_service`` (reads the catalog). The lists keep the
    catalog's spelling; ``classify`` matches a status through ``status_key``.
    """

    def __init__(self, target_states, failure_states, pending_states, terminal_states=(), strict=False, service=None):
        self.target_states = list(target_states)
        self.failure_states = list(failure_states)
        self.pending_states = list(pending_states)
        self.strict = bool(strict)
        self.service = service
        self._target = frozenset(status_key(status) for status in self.target_states)
        self._failure = frozenset(status_key(status) for status in self.failure_states)
        self._pending = frozenset(status_key(status) for status in self.pending_states)
        self._terminal = frozenset(status_key(status) for status in terminal_states) - self._target - self._failure - self._pending
        self._verdicts = {}

    @classmethod
    def from_phases(cls, phases, target_states=None, pending_states=None, failure_states=None, service=None,
                    strict=False):
        """Rules from a catalog ``phases`` dict ({"pending": [...], "running": [...], ...}).

        Defaults: target = succeeded, failure = failed, pending = pending + running, each without the
        statuses that an explicit option lists.
        Overrides are statuses the service knows, matched like ``status_key`` and stored in the
        catalog's spelling; unknown values, empty target lists and a status in two lists raise
        InvalidInput naming the option (and the allowed statuses). ``strict`` makes a status outside the
        lists unexpected even without ``pending_states`` (an API whose phases list every status it has).
        """
        by_phase = dict((phase, list((phases or {}).get(phase) or [])) for phase in RULE_PHASES)
        known = _unique(by_phase["pending"] + by_phase["running"] + by_phase["succeeded"] + by_phase["failed"])
        where = service or "this service"
        explicit = {}
        for option, values in (("target_states", target_states), ("failure_states", failure_states),
                               ("pending_states", pending_states)):
            if values is not None:
                explicit[option] = _check_states(option, values, known, where)
        _check_disjoint(explicit)

        # A status listed in one option leaves the defaults of the others: pending_states [UNKNOWN] makes
        # CAS UNKNOWN (a failure by default) pending, failure_states [Completed] makes Completed a failure.
        target = explicit.get("target_states")
        if target is None:
            listed = set(explicit.get("pending_states", ())) | set(explicit.get("failure_states", ()))
            target = [status for status in by_phase["succeeded"] if status not in listed]
        if not target:
            why = "the list is empty" if "target_states" in explicit else (
                "%s has no succeeded status that another option does not list" % where)
            raise InvalidInput("target_states: no target status to wait for (%s); set target_states" % why,
                               option="target_states", allowed=known)
        failure = explicit.get("failure_states")
        if failure is None:
            listed = set(target) | set(explicit.get("pending_states", ()))
            failure = [status for status in by_phase["failed"] if status not in listed]
        pending = explicit.get("pending_states")
        if pending is None:
            pending = [status for status in by_phase["pending"] + by_phase["running"]
                       if status not in target and status not in failure]
        return cls(target, failure, _unique(pending), terminal_states=by_phase["succeeded"] + by_phase["failed"],
                   strict=strict or "pending_states" in explicit, service=service)

    @classmethod
    def for_service(cls, entry, target_states=None, pending_states=None, failure_states=None):
        """Rules for a resolved catalog entry (``catalog.ServiceEntry``: a service's or a declared API's)."""
        return cls.from_phases(entry["phases"], target_states=target_states, pending_states=pending_states,
                               failure_states=failure_states, service=entry.name,
                               strict=bool(entry.get("strict_statuses")))

    def classify(self, status):
        """TARGET, FAILURE, PENDING, UNEXPECTED (strict rules) or OTHER_TERMINAL."""
        # A wait sees the same few raw statuses on every poll of every task: classify each once.
        try:
            return self._verdicts[status]
        except KeyError:
            verdict = self._classify(status)
        except TypeError:  # a status that is no string or number (a JSON list or object)
            return self._classify(status)
        if len(self._verdicts) < _MAX_REMEMBERED_STATUSES:
            self._verdicts[status] = verdict
        return verdict

    def _classify(self, status):
        key = status_key(status)
        if key in self._target:
            return TARGET
        if key in self._failure:
            return FAILURE
        if status is None or key in self._pending:
            return PENDING
        if self.strict:
            return UNEXPECTED
        if key in self._terminal:
            return OTHER_TERMINAL
        return PENDING

    def to_dict(self):
        return {
            "service": self.service,
            "target_states": list(self.target_states),
            "failure_states": list(self.failure_states),
            "pending_states": list(self.pending_states),
            "strict": self.strict,
        }


def _check_states(option, values, known, where):
    """``values`` in the catalog's spelling (de-duplicated); InvalidInput for anything the service does not know."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        raise InvalidInput("%s: expected a list of statuses, got %s" % (option, describe_value(values)),
                           option=option, allowed=known)
    spelled = dict((status_key(status), status) for status in known)
    checked = []
    for value in values:
        status = spelled.get(status_key(value))
        if status is None:
            raise InvalidInput("%s: %r is not a status of %s; allowed: %s" % (option, value, where, ", ".join(known)),
                               option=option, allowed=known)
        checked.append(status)
    return _unique(checked)


def _check_disjoint(explicit):
    options = sorted(explicit)
    for index, first in enumerate(options):
        for second in options[index + 1:]:
            both = [status for status in explicit[first] if status in explicit[second]]
            if both:
                raise InvalidInput("%s and %s both list %s; a status can only be in one of them"
                                   % (first, second, ", ".join(repr(status) for status in both)),
                                   option=second, allowed=None)
