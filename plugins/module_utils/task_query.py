# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The "which tasks?" options shared by task_info, the task lookup and wait_for_task.

``selection_argument_spec()`` is service + id + the task_info filters; ``query_argument_spec()``
adds the paging options of task_info. ``run_task_query(params)`` is the whole of task_info and of
the lookup: build the client, check every option once (``TaskService.plan``) before any request,
fetch every page.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import SERVICES
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.options import auth_argument_spec
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_service import TaskService

FILTER_OPTIONS = ("status", "name", "instance_id", "order_id", "start_time", "end_time")


def selection_argument_spec():
    """Shared options + which tasks: ``service``, ``id`` and the filters. A fresh dict per call."""
    spec = auth_argument_spec()
    spec.update(
        service=dict(type="str", required=True, choices=list(SERVICES)),
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


def run_task_query(params, client=None, warn=None):
    """Normalized tasks for ``params`` (task_info options). Raises TaskGateError subclasses.

    Every option is validated before the first request; an unknown id is absent, not an error.
    ``warn(sentence)`` receives the connection settings' warnings (TLS verification off).
    """
    if client is None:
        config = ClientConfig.from_params(params)
        for sentence in config.warnings:
            if warn is not None:
                warn(sentence)
        client = Client(config)
    service = TaskService(client, params["service"])
    plan = service.plan(ids=ids_from_params(params), filters=filters_from_params(params),
                        limit=params.get("limit"), page_size=params.get("page_size"))
    return service.query(plan)
