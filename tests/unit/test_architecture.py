# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/architecture.md is the contract of the layers: the code may import only what its row allows."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import os
import re

import pytest

import ansible_collections.taskgate.huaweicloud as collection

ROOT = list(collection.__path__)[0]
PACKAGE = "ansible_collections.taskgate.huaweicloud.plugins.module_utils"
# Plugins reach the logic through the glue, plus the few names they need to fail early.
PLUGIN_IMPORTS = {"task_query", "wait_runner", "resource_wait", "api_call", "provision_plan", "gate_records", "task_watch", "errors", "options",
                  "catalog", "client", "contract"}
MAX_LINES = 600
_ROW = re.compile(r"^\|\s*[a-z]+\s*\|\s*`([a-z_]+)`\s*\|[^|]*\|([^|]*)\|\s*$")


def _documented_imports():
    with open(os.path.join(ROOT, "docs", "architecture.md")) as handle:
        rows = [_ROW.match(line) for line in handle]
    return dict((row.group(1), set(re.findall(r"`([a-z_]+)`", row.group(2)))) for row in rows if row)


def _own_imports(path):
    """Names of module_utils files that ``path`` imports (``from ..module_utils.x import`` or ``module_utils import x``)."""
    with open(path) as handle:
        tree = ast.parse(handle.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == PACKAGE:
                found.update(alias.name for alias in node.names)
            elif node.module.startswith(PACKAGE + "."):
                found.add(node.module[len(PACKAGE) + 1:])
    return found


# Plugin folders outside plugins/ (ansible-rulebook looks for event sources here).
OTHER_PLUGIN_FOLDERS = {"event_source": os.path.join("extensions", "eda", "plugins", "event_source")}


def _python_files(folder):
    folder = os.path.join(ROOT, OTHER_PLUGIN_FOLDERS.get(folder, os.path.join("plugins", folder)))
    return sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".py") and name != "__init__.py")


DOCUMENTED = _documented_imports()


def test_the_table_is_there():
    assert len(DOCUMENTED) >= 20 and "catalog" in DOCUMENTED


@pytest.mark.parametrize("path", _python_files("module_utils"), ids=os.path.basename)
def test_module_utils_import_only_what_the_architecture_allows(path):
    name = os.path.basename(path)[:-3]
    assert name in DOCUMENTED, "%s has no row in docs/architecture.md" % name
    extra = _own_imports(path) - DOCUMENTED[name]
    assert not extra, "%s imports %s, which its row in docs/architecture.md does not allow" % (name, sorted(extra))


PLUGIN_FOLDERS = ("modules", "action", "lookup", "filter", "callback", "event_source")


@pytest.mark.parametrize("path", [path for folder in PLUGIN_FOLDERS for path in _python_files(folder)], ids=os.path.basename)
def test_plugins_go_through_the_glue(path):
    extra = _own_imports(path) - PLUGIN_IMPORTS
    assert not extra, "%s imports %s directly" % (path, sorted(extra))


@pytest.mark.parametrize("path", [path for folder in PLUGIN_FOLDERS + ("module_utils", "doc_fragments")
                                  for path in _python_files(folder)], ids=os.path.basename)
def test_no_plugin_file_over_the_limit(path):
    with open(path) as handle:
        assert sum(1 for _line in handle) <= MAX_LINES


def test_only_the_catalog_names_services():
    from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import CATALOG
    for path in _python_files("module_utils"):
        if path.endswith("catalog.py"):
            continue
        with open(path) as handle:
            tree = ast.parse(handle.read())
        docstrings = set(id(node.body[0].value) for node in ast.walk(tree)
                         if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                         and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant))
        strings = [node.value for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]
        named = sorted(set(strings) & (set(CATALOG) | {"iam"}))
        assert not named, "%s spells out services %s: derive them from catalog.py" % (os.path.basename(path), named)
