# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way from parameters to a connected TaskService: checked settings, client, task service.

    tasks = open_task_service(params, entry, environ=None)   # tasks.client.close() when done

``params`` hold the shared connection options (``options.py``); ``environ`` is where their ``HW_*``
fallbacks are read (``None``: an Ansible argument spec already applied them: modules, the action
plugin). ``config.ClientConfig.from_params`` checks them once (InvalidInput before any request);
``warn(sentence)`` receives its warnings (TLS verification off).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.config import ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_service import TaskService


def open_task_service(params, entry, environ=None, warn=None, clock=time.monotonic, sleep=time.sleep,
                      wall_clock=time.time, session=None, now=None, client=None):
    """A TaskService of ``entry`` (the resolved ``catalog.ServiceEntry``) on a client of the checked
    connection settings of ``params`` (or on ``client``, already built: tests)."""
    if client is not None:
        return TaskService(client, entry, now=now)
    config = ClientConfig.from_params(params, environ=environ)
    if warn is not None:
        for sentence in config.warnings:
            warn(sentence)
    client = Client(config, clock=clock, sleep=sleep, wall_clock=wall_clock, session=session)
    return TaskService(client, entry, now=now)
