# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ansible-core versions the collection declares, the ones CI tests and the ones the README names agree.

meta/runtime.yml and the roles come from the collection under test (the built artifact in ``make test``);
the pins in requirements/ and tests/utils/ (not in the artifact) from the source tree beside this file.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re

import yaml

import ansible_collections.taskgate.huaweicloud as collection

ROOT = list(collection.__path__)[0]
SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# leg -> the pins its venv is made from (tests/utils/common.sh leg_requirements)
LEG_PINS = {"oldest": "oldest.txt", "main": "dev.txt", "newest": "newest.txt"}


def _text(*parts):
    with open(os.path.join(*parts)) as handle:
        return handle.read()


def _pinned_core(leg):
    found = re.findall(r"^ansible-core==([0-9.]+)$", _text(SOURCE, "requirements", LEG_PINS[leg]), re.M)
    assert len(found) == 1, "requirements/%s pins ansible-core exactly once" % LEG_PINS[leg]
    return found[0]


def _minor(version):
    return tuple(int(part) for part in version.split(".")[:2])


def _declared_floor():
    runtime = yaml.safe_load(_text(ROOT, "meta", "runtime.yml"))
    match = re.match(r"^>=\s*([0-9]+\.[0-9]+)(\.[0-9]+)?$", runtime["requires_ansible"])
    assert match, "requires_ansible is a single lower bound, got %r" % runtime["requires_ansible"]
    return _minor(match.group(1))


def _readme_matrix():
    """{ansible-core version: Python} from the README's table of tested versions."""
    rows = re.findall(r"^\s*\|\s*(2\.[0-9]+\.[0-9]+)\s*\|\s*(3\.[0-9]+)\b[^|]*\|\s*([a-z]+) \(`requirements/",
                      _text(SOURCE, "README.md"), re.M)
    return dict((leg, (core, python)) for core, python, leg in rows)


def test_the_oldest_leg_tests_the_declared_floor():
    assert _minor(_pinned_core("oldest")) == _declared_floor()


def test_every_role_declares_the_same_floor():
    for role in sorted(os.listdir(os.path.join(ROOT, "roles"))):
        meta = yaml.safe_load(_text(ROOT, "roles", role, "meta", "main.yml"))
        assert _minor(str(meta["galaxy_info"]["min_ansible_version"])) == _declared_floor(), role


def test_the_readme_names_each_leg_with_its_pinned_core():
    matrix = _readme_matrix()
    assert sorted(matrix) == sorted(LEG_PINS), "README's matrix rows: %s" % matrix
    for leg in LEG_PINS:
        assert matrix[leg][0] == _pinned_core(leg), leg
    assert "ansible-core >= %d.%d" % _declared_floor() in _text(SOURCE, "README.md")


def test_the_oldest_and_main_legs_run_on_the_python_the_readme_names():
    common = _text(SOURCE, "tests", "utils", "common.sh")
    matrix = _readme_matrix()
    # oldest_python and main_python both look for this minor first
    for leg in ("oldest", "main"):
        body = re.search(r"^%s_python\(\) \{(.*?)^\}" % leg, common, re.M | re.S).group(1)
        assert "find_python %s" % matrix[leg][1] in body, leg
