# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection tells the outside world matches the code: the Python libraries its plugins import,
their ``requirements:`` docs, requirements.txt (which ansible-builder reads through
meta/execution-environment.yml), and the AWX credential type's HW_* variables.

Files are read from the collection under test (the built artifact in ``make test``), so a file that
build_ignore drops fails here too.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import os
import re
import sys

import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

import ansible_collections.taskgate.huaweicloud as collection
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.config import ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.options import ASSUME_ROLE_ENV_VARS, ENV_VARS, resolve_params

ROOT = list(collection.__path__)[0]
PACKAGE = "ansible_collections.taskgate.huaweicloud.plugins.module_utils"
# Imported by the plugins but installed with ansible-core (jinja2, yaml) or with requests (urllib3).
NOT_OURS = {"ansible", "ansible_collections", "jinja2", "yaml", "__future__"}
PROVIDED_BY = {"urllib3": "requests"}
# Environment variables the credential type injects that the collection reads but ENV_VARS may not
# list yet (the TLS options: cacert_file <- OS_CACERT, validate_certs <- not HW_INSECURE).
TLS_VARIABLES = {"OS_CACERT", "HW_INSECURE"}
# Not a credential: a per-job tuning knob, set in the job template's environment if wanted.
NOT_INJECTED = {"HW_MAX_RETRIES"}


def _read(*parts):
    with open(os.path.join(ROOT, *parts)) as handle:
        return handle.read()


def _requirement_names():
    names = set()
    for line in _read("requirements.txt").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(re.match(r"[A-Za-z0-9_.-]+", line).group(0).lower())
    return names


def _python_files(folder):
    folder = os.path.join(ROOT, "plugins", folder)
    return sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".py") and name != "__init__.py")


def _imports(path):
    """(third-party top-level names, module_utils names) imported anywhere in ``path``, function bodies included."""
    with open(path) as handle:
        tree = ast.parse(handle.read())
    libraries, own = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            libraries.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == PACKAGE:
                own.update(alias.name for alias in node.names)
            elif node.module.startswith(PACKAGE + "."):
                own.add(node.module[len(PACKAGE) + 1:])
            libraries.add(node.module.split(".")[0])
    stdlib = set(sys.stdlib_module_names)
    return set(PROVIDED_BY.get(name, name) for name in libraries - stdlib - NOT_OURS), own


MODULE_UTILS = dict((os.path.basename(path)[:-3], _imports(path)) for path in _python_files("module_utils"))


def _libraries_needed(path):
    """Third-party libraries ``path`` needs, through every module_utils file it reaches."""
    libraries, pending = _imports(path)
    seen = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        more_libraries, more_own = MODULE_UTILS[name]
        libraries |= more_libraries
        pending |= more_own
    return libraries


def _documented_requirements(path):
    """The ``requirements`` of a plugin's DOCUMENTATION, its doc fragments' included (names only)."""
    doc = yaml.safe_load(ast.literal_eval(_docstring_node(path, "DOCUMENTATION")))
    requirements = list(doc.get("requirements") or [])
    for fragment in doc.get("extends_documentation_fragment") or []:
        name = fragment.split(".")[-1]
        fragment_path = os.path.join(ROOT, "plugins", "doc_fragments", name + ".py")
        fragment_doc = yaml.safe_load(ast.literal_eval(_docstring_node(fragment_path, "DOCUMENTATION")))
        requirements.extend(fragment_doc.get("requirements") or [])
    return set(re.match(r"[A-Za-z0-9_.-]+", text).group(0).lower() for text in requirements)


def _docstring_node(path, name):
    with open(path) as handle:
        source = handle.read()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id == name for target in node.targets):
            return ast.get_source_segment(source, node.value)
    raise AssertionError("%s has no %s" % (path, name))


DOCUMENTED_PLUGINS = [path for folder in ("modules", "lookup") for path in _python_files(folder)]


def test_requirements_txt_lists_exactly_what_the_plugins_import():
    imported = set()
    for folder in ("modules", "action", "lookup", "filter", "module_utils"):
        for path in _python_files(folder):
            imported |= _imports(path)[0]
    assert imported == _requirement_names()


def test_ansible_builder_finds_requirements_txt():
    meta = yaml.safe_load(_read("meta", "execution-environment.yml"))
    assert meta["dependencies"]["python"] == "requirements.txt"
    assert os.path.isfile(os.path.join(ROOT, "requirements.txt"))


@pytest.mark.parametrize("path", DOCUMENTED_PLUGINS, ids=os.path.basename)
def test_each_plugin_documents_the_libraries_it_needs(path):
    needed = _libraries_needed(path)
    # The action plugin runs the module's wait on the controller: it needs what the module documents.
    action = os.path.join(ROOT, "plugins", "action", os.path.basename(path))
    if os.path.exists(action):
        needed |= _libraries_needed(action)
    assert needed == _documented_requirements(path)


def _render_injectors(inputs):
    """The environment AWX would inject for a credential with ``inputs`` (unset fields are empty, as in AWX)."""
    credential_type = yaml.safe_load(_read("extensions", "awx", "credential_type.yml"))
    values = {}
    for field in credential_type["inputs"]["fields"]:
        values[field["id"]] = inputs.get(field["id"], False if field.get("type") == "boolean" else "")
    values["tower"] = {"filename": dict((key.split(".", 1)[1], "/runner/env/%s" % key) for key in credential_type["injectors"]["file"])}
    env = ImmutableSandboxedEnvironment()
    return dict((name, env.from_string(template).render(values)) for name, template in credential_type["injectors"]["env"].items())


def test_the_credential_type_sets_every_variable_the_collection_reads():
    injected = set(_render_injectors({}))
    read = set(ENV_VARS.values()) | set(ASSUME_ROLE_ENV_VARS.values())
    assert injected - TLS_VARIABLES <= read
    assert read - NOT_INJECTED <= injected


@pytest.mark.parametrize("inputs, method", [
    ({"region": "eu-west-101", "project_id": "p1", "access_key": "AK", "secret_key": "SK"}, "aksk"),
    ({"region": "eu-west-101", "project_id": "p1", "auth_token": "token"}, "token"),
    ({"region": "eu-west-101", "user_name": "u", "password": "pw", "domain_name": "acme"}, "password"),
])
def test_a_credential_with_one_auth_method_selects_it(inputs, method):
    environ = _render_injectors(inputs)
    config = ClientConfig.from_params(resolve_params({}, environ=environ))
    assert config.auth_method == method
    assert config.region == "eu-west-101"


def test_the_ca_file_is_only_pointed_at_when_given():
    assert _render_injectors({"region": "r"})["OS_CACERT"] == ""
    assert _render_injectors({"region": "r", "cacert": "PEM"})["OS_CACERT"] == "/runner/env/template.cacert"
    assert _render_injectors({"region": "r"})["HW_INSECURE"] == ""
    assert _render_injectors({"region": "r", "insecure": True})["HW_INSECURE"] == "true"


def test_a_credential_without_an_auth_method_leaves_the_ecs_metadata_keys():
    config = ClientConfig.from_params(resolve_params({}, environ=_render_injectors({"region": "eu-west-101"})))
    assert config.auth_method == "metadata"
    assert config.assume_role == {"agency_name": None, "domain_name": None, "domain_id": None, "duration": None}


def test_the_agency_fields_turn_the_credential_into_agency_keys():
    environ = _render_injectors({"region": "eu-west-101", "access_key": "AK", "secret_key": "SK", "agency_name": "ops",
                                 "agency_domain_name": "other-account", "agency_duration": "3600", "profile": "dev"})
    values = resolve_params({}, environ=environ)
    assert values["profile"] == "dev" and not values["shared_config_file"]
    values["profile"] = None   # no KooCLI file on this host: the profile field is only checked as injected
    config = ClientConfig.from_params(values)
    assert (config.auth_method, config.base_auth_class.name) == ("agency", "aksk")
    assert config.assume_role == {"agency_name": "ops", "domain_name": "other-account", "domain_id": None, "duration": 3600}
