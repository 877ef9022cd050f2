# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The payload fixtures (fixtures/payloads/*.json) as pytest parameters, by their "kind"."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os

import pytest

PAYLOADS = os.path.join(os.path.dirname(__file__), "fixtures", "payloads")


def load_fixtures(kind):
    fixtures = []
    for path in sorted(glob.glob(os.path.join(PAYLOADS, "*.json"))):
        with open(path) as handle:
            data = json.load(handle)
        if data["kind"] == kind:
            fixtures.append(pytest.param(data, id=os.path.basename(path)[:-5]))
    return fixtures
