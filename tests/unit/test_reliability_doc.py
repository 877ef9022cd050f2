# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/reliability.md quotes retry and deadline constants as `` `module.NAME` = `value` ``: they must be the code's."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import importlib
import os
import re

import ansible_collections.taskgate.huaweicloud as collection

ROOT = list(collection.__path__)[0]
PACKAGE = "ansible_collections.taskgate.huaweicloud.plugins.module_utils"
_QUOTE = re.compile(r"`([a-z_]+)\.([A-Z][A-Z0-9_]*)` = `([^`]+)`")
# The budgets the page is about: dropping one from the page should fail here, not go unnoticed.
REQUIRED = {
    ("options", "DEFAULT_MAX_RETRIES"), ("options", "DEFAULT_REQUEST_TIMEOUT"),
    ("retries", "RETRY_STATUSES"), ("retries", "IDEMPOTENT_METHODS"), ("retries", "BACKOFF_BASE"),
    ("retries", "BACKOFF_CAP"), ("retries", "RETRY_AFTER_LIMIT"), ("deadline", "FINAL_POLL_BUDGET"),
    ("poll_schedule", "THROTTLE_FACTOR"), ("poll_schedule", "THROTTLE_CAP_FACTOR"), ("poll_schedule", "BACKOFF_FACTOR"),
    ("poll_schedule", "SIBLING_BOUND_FACTOR"),
}


def _quotes():
    with open(os.path.join(ROOT, "docs", "reliability.md")) as handle:
        return _QUOTE.findall(handle.read())


def test_quoted_constants_are_the_codes():
    quotes = _quotes()
    for module, name, text in quotes:
        actual = getattr(importlib.import_module("%s.%s" % (PACKAGE, module)), name)
        assert ast.literal_eval(text) == actual, "docs/reliability.md says %s.%s = %s, the code has %r" % (
            module, name, text, actual)
    assert REQUIRED <= set((module, name) for module, name, _text in quotes)
