# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The "which tasks?" options shared by task_info, the task lookup and wait_for_task.

``selection_argument_spec()`` is service (or a declared ``api``) + id + the task_info filters;
``query_argument_spec()`` adds the paging options of task_info. ``SERVICE_CONSTRAINTS`` (service or api,
not both) go to AnsibleModule; ``service_from_params`` applies them without Ansible and returns the
resolved catalog entry to query (a declared API is checked and registered, declared_api.py).
``run_task_query(params)`` is the whole of task_info and of the lookup: check every option once
(``TaskService.plan``) on a connected task service (``connection.open_task_service``) before any
request, fetch every page.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.validation import check_mutually_exclusive, check_required_one_of

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import declared_api
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import SERVICES, service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.connection import open_task_service
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.options import auth_argument_spec

FILTER_OPTIONS = ("status", "name", "instance_id", "order_id", "start_time", "end_time")

# A built-in service or a declared job API: one of them, not both.
SERVICE_CONSTRAINTS = dict(mutually_exclusive=[["service", "api"]], required_one_of=[["service", "api"]])


def selection_argument_spec():
    """Shared options + which tasks: ``service`` or ``api``, ``id`` and the filters. A fresh dict per call."""
    spec = auth_argument_spec()
    spec.update(
        service=dict(type="str", choices=list(SERVICES)),
        api=dict(type="dict", options=declared_api.argument_spec()),
        id=dict(type="list", elements="str"),
        status=dict(type="str"),
        name=dict(type="str"),
        instance_id=dict(type="str"),
        order_id=dict(type="str"),
        start_time=dict(type="raw"),
        end_time=dict(type="raw"),
    )
    return spec


def query_argument_spec():
    """The options of task_info and the task lookup."""
    spec = selection_argument_spec()
    spec.update(limit=dict(type="int"), page_size=dict(type="int"))
    return spec


def filters_from_params(params):
    """The filter options the user actually set (None and "" mean not set)."""
    return dict((name, params[name]) for name in FILTER_OPTIONS if params.get(name) not in (None, ""))


def ids_from_params(params):
    ids = params.get("id")
    if isinstance(ids, str):
        ids = [ids]
    return ids or None


def check_service_rules(params):
    """SERVICE_CONSTRAINTS on ``params`` (unset options are None or absent): Ansible's check, Ansible's words."""
    given = dict((name, value) for name, value in params.items() if value is not None)
    try:
        check_mutually_exclusive(SERVICE_CONSTRAINTS["mutually_exclusive"], given)
        check_required_one_of(SERVICE_CONSTRAINTS["required_one_of"], given)
    except TypeError as exc:
        raise InvalidInput(str(exc), option="service", allowed=["service", "api"])


def service_from_params(params):
    """The resolved catalog entry (``catalog.ServiceEntry``) the params mean: ``service``'s, or that of the
    job API ``api`` declares (checked and registered here, before any request). The one place a
    ``service``/``api`` option becomes an entry; InvalidInput naming the option (``api.<key>`` for a definition)."""
    check_service_rules(params)
    if params.get("api") is not None:
        return service_entry(declared_api.declare(params["api"]), "api")
    return service_entry(params["service"])


def run_task_query(params, environ=None, warn=None, client=None):
    """Normalized tasks for ``params`` (task_info options). Raises TaskGateError subclasses.

    Every option is validated before the first request; an unknown id is absent, not an error.
    ``environ``: where the ``HW_*`` fallbacks are read (None: the argument spec applied them).
    ``warn(sentence)`` receives the connection settings' warnings (TLS verification off); ``client``: an
    already built client (tests).
    """
    entry = service_from_params(params)
    tasks = open_task_service(params, entry, environ=environ, warn=warn, client=client)
    try:
        plan = tasks.plan(ids=ids_from_params(params), filters=filters_from_params(params),
                          limit=params.get("limit"), page_size=params.get("page_size"))
        return tasks.query(plan)
    finally:
        if client is None:   # a client the caller built stays the caller's to close
            tasks.client.close()
