# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TEMPORARY merge shim: delete this file once its two importers use the new modules.

services.py was split into ``contract`` (response checks, HAS_JSONSCHEMA), ``query_plan`` (option
checks, QueryPlan, clean_ids) and ``task_service`` (TaskService). Remaining importers, outside the
query slice: ``wait_runner`` (TaskService, clean_ids, and the old ``validate``/``query(filters=...)``
calls) and ``modules/wait_for_task`` (HAS_JSONSCHEMA, JSONSCHEMA_IMPORT_ERROR).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import task_service
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.contract import (  # noqa: F401 pylint: disable=unused-import
    HAS_JSONSCHEMA, JSONSCHEMA_IMPORT_ERROR,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.query_plan import clean_ids  # noqa: F401 pylint: disable=unused-import


class TaskService(task_service.TaskService):
    """The old call forms wait_runner still uses: ``validate(...)`` and ``query(filters=...)``."""

    def validate(self, ids=None, filters=None, limit=None, page_size=None):
        return self.plan(ids=ids, filters=filters, limit=limit, page_size=page_size)

    def query(self, plan=None, deadline=None, concurrency=task_service.DEFAULT_CONCURRENCY, **selection):
        if plan is None:
            plan = self.plan(**selection)
        return super(TaskService, self).query(plan, deadline=deadline, concurrency=concurrency)
