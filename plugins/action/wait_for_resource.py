# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs wait_for_resource on the controller, with live progress lines: wait_for_task's action plugin, other glue."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.taskgate.huaweicloud.plugins.action import wait_for_task
from ansible_collections.taskgate.huaweicloud.plugins.module_utils import resource_wait


class ActionModule(wait_for_task.ActionModule):
    """The same controller-side wait (environment fallbacks, secrets masked, async runs the module)."""

    MODULE_NAME = "taskgate.huaweicloud.wait_for_resource"

    def _spec(self):
        return resource_wait.argument_spec(), resource_wait.ARGUMENT_CONSTRAINTS

    def _wait(self, params):
        return resource_wait.run_resource_wait(params, emit=self._emit)
