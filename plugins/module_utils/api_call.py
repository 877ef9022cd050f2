# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Glue of the ``api_request`` module: input checks, one signed call, job id extraction.

``validate_request(params)`` checks the options once into an ApiRequest; ``run_api_request`` sends it
and only talks to the injected client. ``body_secret_values`` finds the secrets of a request body
(well-known keys anywhere, plus the ``body_secrets`` paths) so the module can keep them out of its output.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from collections import namedtuple
from urllib.parse import unquote

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import busy_answer, service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.datapath import MISSING, lookup_path
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.deadline import Deadline
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError, ContractError, InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import format_duration, parse_duration

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
READ_ONLY_METHODS = ("GET",)
DEFAULT_STATUS_CODES = (200, 201, 202, 204)

# Where the four create APIs put the job id, most common first: DB services answer
# {"job_id": ...}, ServiceStage {"job_id": ...} or {"jobId": ...}, some RDS calls {"job": {"id"}},
# and CAS v2 upper-case payloads {"job": {"JOB_ID"}}.
JOB_ID_PATHS = ("job_id", "job.id", "jobId", "job.JOB_ID")
# Where a prepaid (yearly/monthly) create answers its order id (DB services, ECS, CCE, DCS).
ORDER_ID_PATHS = ("order_id", "orderId", "order.id")

# api_request's own time budget: a write answered "the instance is busy" (catalog ``busy``) is sent again
# within it, after BUSY_FIRST_WAIT, doubling up to BUSY_MAX_WAIT (jittered: many hosts must not retry in step).
DEFAULT_TIMEOUT = "10m"
BUSY_FIRST_WAIT = 2.0
BUSY_MAX_WAIT = 30.0

# Body keys whose values are secrets wherever they appear in a request body, compared case-insensitively.
# The create bodies of the four services and of ECS/EVS carry passwords under these names.
SECRET_BODY_KEYS = (
    "password", "passwd", "adminPass", "admin_pass", "admin_password", "user_password", "db_user_pwd", "db_password",
    "root_password", "new_password", "secret", "secret_key", "client_secret", "token", "auth_token", "access_token",
    "security_token", "private_key",
)
_SECRET_KEYS = frozenset(key.lower() for key in SECRET_BODY_KEYS)


def _as_job_id(value):
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    text = str(value).strip()
    return text or None


def extract_job_id(payload, job_id_path=None, entry=None):
    """Job id of a create/modify response, or None when the response carries none.

    ``job_id_path`` (dotted) is the caller saying where the id is: then it must be there, and a
    miss raises ContractError naming the path (a gate silently skipped would hide a running job).
    Without it, the own places of ``entry`` (the resolved catalog entry's ``job_id_paths``, e.g. CCE's
    ``status.jobID``) come before the common ones.
    """
    if job_id_path:
        value = _as_job_id(lookup_path(payload, job_id_path))
        if value is None:
            raise ContractError(
                "job_id_path %r matched no job id in the response (top-level keys: %s)"
                % (job_id_path, ", ".join(sorted(payload)) if isinstance(payload, dict) else type(payload).__name__),
                field=job_id_path)
        return value
    own = tuple(entry.get("job_id_paths") or ()) if entry is not None else ()
    return _first_id(payload, own + JOB_ID_PATHS)


def extract_order_id(payload):
    """Order id of a prepaid create's response (wait on it with the bss_order service), or None."""
    return _first_id(payload, ORDER_ID_PATHS)


def _first_id(payload, paths):
    for path in paths:
        value = _as_job_id(lookup_path(payload, path))
        if value is not None:
            return value
    return None


def _leaf_values(value, found):
    """Every scalar under ``value`` as the text no_log masking compares (booleans and empty values mask nothing)."""
    if isinstance(value, dict):
        for item in value.values():
            _leaf_values(item, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _leaf_values(item, found)
    elif value is not None and not isinstance(value, bool) and str(value) != "":
        found.add(str(value))


def _secrets_under_known_keys(data, found):
    if isinstance(data, dict):
        for key, value in data.items():
            if str(key).lower() in _SECRET_KEYS:
                _leaf_values(value, found)
            else:
                _secrets_under_known_keys(value, found)
    elif isinstance(data, (list, tuple)):
        for item in data:
            _secrets_under_known_keys(item, found)


def body_secret_values(body, body_secrets=None, found=None):
    """The secret values of a request ``body``: under a well-known key (SECRET_BODY_KEYS) at any depth, and at
    each dotted path of ``body_secrets``. A path into a dict or a list takes every value under it.

    They are added to ``found`` (a set, e.g. the module's no_log_values) as they are found, so the values
    found before an error stay masked. A body given as JSON text is searched as the JSON it holds. A
    ``body_secrets`` path that is not in the body raises InvalidInput (a mistyped path would otherwise
    leave the real secret unmasked), before anything is sent.
    """
    data = body
    if isinstance(body, str):
        try:
            data = json.loads(body)
        except ValueError:
            data = None
    found = set() if found is None else found
    _secrets_under_known_keys(data, found)
    for path in body_secrets or ():
        value = lookup_path(data, path, MISSING) if path else MISSING
        if value is MISSING:
            raise InvalidInput("body_secrets path %r is not in body; give dotted paths of body values such as "
                               "db.password or users.0.password" % (path,), option="body_secrets")
        _leaf_values(value, found)
    return found


class ApiRequest(namedtuple("ApiRequest", "service method path accepted query body job_id_path timeout entry")):
    """One checked api_request call; only ``validate_request`` builds one, ``run_api_request`` trusts it.

    ``method`` is upper case, ``accepted`` the sorted, de-duplicated statuses of ``status_code``,
    ``timeout`` seconds (the whole call, busy retries included), ``entry`` the resolved catalog entry.
    """

    __slots__ = ()

    @property
    def changes(self):
        """True for the methods that change something (reported as ``changed``, skipped in check mode)."""
        return self.method not in READ_ONLY_METHODS


def validate_request(params):
    """The checked ApiRequest of the module params; InvalidInput naming the option otherwise."""
    service = params.get("service")
    entry = service_entry(service)   # resolved once: the client takes the entry
    method = str(params.get("method") or "GET").upper()
    if method not in METHODS:
        raise InvalidInput("method must be one of %s, got %r" % (", ".join(METHODS), params.get("method")),
                           option="method", allowed=METHODS)
    path = params.get("path") or ""
    if not path.startswith("/"):
        raise InvalidInput("path must start with '/' (a path under the %s endpoint, e.g. /v3/{project_id}/instances), got %r"
                           % (service, path), option="path")
    codes = params.get("status_code")
    codes = list(DEFAULT_STATUS_CODES) if not codes else codes
    for code in codes:
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
            raise InvalidInput("status_code must be a list of HTTP statuses between 100 and 599, got %r" % (code,),
                               option="status_code")
    timeout = parse_duration(DEFAULT_TIMEOUT if params.get("timeout") is None else params.get("timeout"), "timeout")
    if timeout <= 0:
        raise InvalidInput("timeout must be longer than 0 s (a duration such as 90s or 10m), got %r" % (params.get("timeout"),),
                           option="timeout")
    return ApiRequest(service=service, method=method, path=path, accepted=sorted(set(codes)),
                      query=params.get("query") or None, body=params.get("body"), job_id_path=params.get("job_id_path"),
                      timeout=timeout, entry=entry)


def busy_delay(waits, rng):
    """Seconds before resending a write the instance was too busy for, after ``waits`` earlier waits.

    Doubles from BUSY_FIRST_WAIT up to BUSY_MAX_WAIT, with jitter in its upper half: never close to 0
    (the instance needs time), and hosts that met the same busy instance do not come back in step.
    """
    ceiling = min(BUSY_MAX_WAIT, BUSY_FIRST_WAIT * (2 ** waits))
    return ceiling * (0.5 + 0.5 * rng())


def _send(client, request):
    """(response, busy waits) of the request; a busy answer to a write (catalog ``busy``) is sent again
    while ``request.timeout`` allows. Any other error is raised as it came (a 4xx is never retried)."""
    deadline = Deadline(client.clock() + request.timeout, client.clock)
    started = client.clock()
    waits = 0
    while True:
        try:
            return client.request(request.entry, request.method, request.path, query=request.query, body=request.body,
                                  deadline=deadline.at), waits
        except ApiError as err:
            if (not request.changes or err.status in request.accepted
                    or not busy_answer(request.entry, err.status, err.error_code)):
                raise
            delay = busy_delay(waits, client.retry_policy.rng)
            if delay >= deadline.remaining():
                err.details["busy_retries"] = waits
                raise err.explain(
                    "the instance was still busy with another operation after %d retries over %s; timeout %s ended "
                    "before the next one (raise timeout, or wait for the running job first)"
                    % (waits, format_duration(client.clock() - started), format_duration(request.timeout)))
            client.sleep(delay)
            waits += 1


def run_api_request(client, request, check_mode=False):
    """Send the checked ``request`` (an ApiRequest) through ``client`` (Client.request); the module result dict.

    Non-GET methods are skipped in check mode: the result says so and carries no response.
    A status outside ``status_code`` raises ContractError; HTTP errors raise the client's ApiError.
    """
    service, method, path, accepted = request.service, request.method, request.path, request.accepted
    changed = request.changes
    if check_mode and changed:
        return {
            "changed": True, "skipped": True, "status": None, "json": None, "job_id": None, "order_id": None,
            "busy_retries": 0, "request_id": None,
            "msg": "check mode: %s %s on %s not sent" % (method, path, service),
        }
    try:
        response, busy_retries = _send(client, request)
    except ApiError as err:
        # An error status the caller listed in status_code (say 404 for "absent") is an answer, not a failure.
        if err.status is None or err.status not in accepted:
            raise
        return {
            "changed": False, "status": err.status, "json": {"error_code": err.error_code, "error_msg": err.error_msg},
            "job_id": None, "order_id": None, "busy_retries": 0, "request_id": err.request_id,
            "msg": "%s %s %s: HTTP %s (accepted by status_code)" % (service, method, path, err.status),
        }
    if response.status not in accepted:
        raise ContractError(
            "%s %s %s answered HTTP %s, expected one of %s (option status_code)"
            % (service, method, path, response.status, ", ".join(str(c) for c in accepted)),
            field="status", status=response.status, request_id=response.request_id,
            method=method, path=path, service=service)
    payload = response.json
    result = {
        "changed": changed,
        "status": response.status,
        "json": payload,
        "job_id": extract_job_id(payload, request.job_id_path, request.entry),
        "order_id": extract_order_id(payload),
        "busy_retries": busy_retries,
        "request_id": response.request_id,
        "msg": "%s %s %s: HTTP %s%s" % (service, method, path, response.status,
                                        " after %d busy retries" % busy_retries if busy_retries else ""),
    }
    if method == "DELETE":
        # What to wait on after a delete: the job (wait_for_task) where the API gives one, and always the
        # resource (wait_for_resource state: absent), the last segment of a DELETE path.
        result["resource_id"] = deleted_resource_id(path)
    return result


def deleted_resource_id(path):
    """The id a DELETE path ends with (``/v3/{project_id}/instances/abc`` -> ``abc``), without its query string."""
    last = path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return unquote(last) if last and "{" not in last else None


def api_request(params, check_mode=False, no_log_values=None, warn=None):
    """The whole ``api_request`` module: check the options once, build the client from the auth options, send one call.

    The secrets of the body are added to ``no_log_values`` (the module's set) before anything else, so that
    the result, the invocation and any error are masked even when the call fails. ``warn(sentence)``
    receives the connection settings' warnings (TLS verification off).
    """
    body_secret_values(params.get("body"), params.get("body_secrets"), found=no_log_values)
    request = validate_request(params)
    config = ClientConfig.from_params(params)
    for sentence in config.warnings:
        if warn is not None:
            warn(sentence)
    with Client(config) as client:
        return run_api_request(client, request, check_mode=check_mode)
