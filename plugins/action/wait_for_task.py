# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs wait_for_task on the controller, so the wait can print live progress lines.

The options are validated with the module's own argument spec and its ids-vs-filters rules. Their HW_*
fallbacks read the task's templated ``environment:`` first, then the controller's environment: what the
module would see if it ran. With ``async`` the module itself runs under Ansible's async wrapper instead.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import TaskGateError, failure_result
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.options import SECRET_OPTIONS, with_environment
from ansible_collections.taskgate.huaweicloud.plugins.module_utils import resource_wait, wait_runner

MODULE_NAME = "taskgate.huaweicloud.wait_for_task"

display = Display()


def _may_hold_secret(result, secrets):
    """False only when no secret can occur in ``result``'s values; True when unsure.

    JSON escaping works character by character, so a secret inside any string shows up in the
    encoding as its own escaped form; a number matches remove_values' check as its JSON text.
    Values JSON cannot encode as remove_values sees them (datetimes, bytes, NaN) give True.
    """
    try:
        text = json.dumps(result, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return True
    return any(json.dumps(secret, ensure_ascii=False)[1:-1] in text for secret in secrets)


def mask_secrets(result, secrets):
    """``result`` with every secret masked (remove_values), skipping the deep copy when none occurs.

    remove_values copies every node of the result: ~0.15 CPU s for 1000 tasks, while one C-coded
    JSON encoding settles the usual case (no secret anywhere) in ~0.01 s.
    """
    secrets = [str(secret) for secret in secrets if secret not in (None, "")]
    if not secrets or not _may_hold_secret(result, secrets):
        return result
    return remove_values(result, secrets)


def merge_environment(environments, template):
    """The task's ``environment:`` as a module gets it: dicts merged in order (play, block, task), templated."""
    if not environments:
        return {}
    if not isinstance(environments, list):
        environments = [environments]
    merged = {}
    for environment in environments:
        if not environment:
            continue
        values = template(environment)
        if not isinstance(values, dict):
            raise AnsibleActionFail("environment must be a dictionary, received %s (%s)" % (values, type(values)))
        merged.update(values)
    # A module's environment holds text; None is dropped, as an unset variable.
    return dict((str(name), str(value)) for name, value in merged.items() if value is not None)


class ActionModule(ActionBase):
    """Controller-side wait: no connection to the target host is needed, except to run the module under async."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True  # it only reads
    # With async the module runs on the target (the controller for localhost / connection: local).
    _supports_async = True
    # What differs for another wait on the same engine (action/wait_for_resource.py): the module, _spec and _wait.
    MODULE_NAME = MODULE_NAME

    def _spec(self):
        """(argument spec, its rules) of the module this plugin stands for."""
        return wait_runner.argument_spec(), wait_runner.ARGUMENT_CONSTRAINTS

    def _wait(self, params):
        if params.get("resource_state"):
            return resource_wait.run_task_wait(params, emit=self._emit)
        return wait_runner.run_wait(params, emit=self._emit)

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        if self._task.async_val:
            # async_status collects the module's own result; its secrets and environment take the module's path.
            result.update(self._execute_module(module_name=self.MODULE_NAME, module_args=dict(self._task.args),
                                               task_vars=task_vars, wrap_async=True))
            return result
        self._host_label = (task_vars or {}).get("inventory_hostname")

        environ = dict(os.environ)
        environ.update(merge_environment(self._task.environment, self._templar.template))
        spec, rules = self._spec()
        validation, params = self.validate_argument_spec(argument_spec=with_environment(spec, environ), **rules)
        # Values of no_log options (and of their env fallbacks) must not reach the result or the log.
        secrets = set(getattr(validation, "_no_log_values", None) or ())
        secrets.update(str(params[name]) for name in SECRET_OPTIONS if params.get(name))

        try:
            outcome = self._wait(params)
        except TaskGateError as exc:
            outcome = failure_result(exc, changed=False)
        result.update(outcome)
        return mask_secrets(result, secrets)

    def _emit(self, line):
        # Several hosts can wait at once: the host label keeps their lines apart.
        display.display("[%s] %s" % (self._host_label, line) if self._host_label else line)
