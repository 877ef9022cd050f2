# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A custom credential type applied to credential inputs the way AWX does it before a job starts.

Mirrors AWX's ``CredentialType.inject_credential`` (awx/main/models/credential/__init__.py):
- the template namespace holds every input that is set (a boolean always, text only when not empty;
  a boolean field the credential does not set is False), plus ``tower``;
- each ``file`` injector is rendered into a fresh ``mkstemp`` file under ``<private data dir>/env``
  (mode 0600), and its path becomes ``tower.filename`` (label ``template``) or ``tower.filename.<name>``
  (label ``template.<name>``) for the env templates;
- each ``env`` injector is rendered with Jinja2's ImmutableSandboxedEnvironment, an unset input
  rendering as an empty string; AWX ignores (and logs) names it reserves, such as ANSIBLE_*.
Inside AWX's execution environment the file paths start with /runner; with process isolation off, as
here, they are the host paths. Inputs are checked against the type as AWX's API checks them.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import stat
import tempfile

import yaml
from jinja2 import sandbox

# awx/main/constants.py ENV_BLOCKLIST, and the ANSIBLE_ prefix AWX keeps for itself.
AWX_RESERVED_ENV = frozenset((
    "VIRTUAL_ENV", "PATH", "PYTHONPATH", "JOB_ID", "INVENTORY_ID", "INVENTORY_SOURCE_ID", "INVENTORY_UPDATE_ID",
    "AD_HOC_COMMAND_ID", "REST_API_URL", "REST_API_TOKEN", "MAX_EVENT_RES", "CALLBACK_QUEUE",
    "CALLBACK_CONNECTION", "CACHE", "JOB_CALLBACK_DEBUG", "INVENTORY_HOSTVARS", "AWX_HOST", "PROJECT_REVISION",
    "SUPERVISOR_CONFIG_PATH",
))


class CredentialTypeError(ValueError):
    """The credential type or the inputs are something AWX would refuse."""


class TowerNamespace(object):
    """The ``tower`` object of AWX's injector templates (``tower.filename``, ``tower.filename.<name>``)."""


def load_credential_type(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def check_inputs(credential_type, inputs):
    """Refuse what AWX's API refuses when a credential of this type is saved: unknown fields, wrong types,
    missing required fields."""
    fields = dict((field["id"], field) for field in credential_type["inputs"]["fields"])
    unknown = sorted(set(inputs) - set(fields))
    if unknown:
        raise CredentialTypeError("inputs not defined by the credential type: %s" % ", ".join(unknown))
    for name, value in inputs.items():
        wanted = bool if fields[name].get("type", "string") == "boolean" else str
        if not isinstance(value, wanted):
            raise CredentialTypeError("input %s must be a %s" % (name, wanted.__name__))
    missing = [name for name in credential_type["inputs"].get("required", []) if inputs.get(name) in (None, "")]
    if missing:
        raise CredentialTypeError("required inputs missing: %s" % ", ".join(missing))


def secret_fields(credential_type):
    return [field["id"] for field in credential_type["inputs"]["fields"] if field.get("secret")]


def inject(credential_type, inputs, private_data_dir):
    """(env, safe_env, files): the variables AWX gives the job, the copy it stores with secrets replaced by
    asterisks, and {label: path} of the files it wrote."""
    check_inputs(credential_type, inputs)
    secrets = set(secret_fields(credential_type))
    tower = TowerNamespace()
    namespace = {"tower": tower}
    safe_namespace = {"tower": tower}
    for name, value in inputs.items():
        if isinstance(value, bool):
            namespace[name] = safe_namespace[name] = value
            continue
        if name in secrets:
            safe_namespace[name] = "**********"
        elif len(value):
            safe_namespace[name] = value
        if len(value):
            namespace[name] = value
    for field in credential_type["inputs"]["fields"]:
        if field.get("type") == "boolean" and field["id"] not in inputs:
            namespace[field["id"]] = safe_namespace[field["id"]] = False

    injectors = credential_type.get("injectors") or {}
    environment = sandbox.ImmutableSandboxedEnvironment()
    files = {}
    env_dir = os.path.join(private_data_dir, "env")
    if not os.path.isdir(env_dir):
        os.makedirs(env_dir)
    for label, template in (injectors.get("file") or {}).items():
        data = environment.from_string(template).render(**namespace)
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, "w") as out:
            out.write(data)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        files[label] = path
        if "." not in label:
            tower.filename = path
        else:
            if not hasattr(tower, "filename"):
                tower.filename = TowerNamespace()
            setattr(tower.filename, label.split(".")[1], path)

    env = {}
    safe_env = {}
    for name, template in (injectors.get("env") or {}).items():
        if name in AWX_RESERVED_ENV or name.startswith("ANSIBLE_"):
            raise CredentialTypeError("AWX ignores the reserved variable %s of an env injector" % name)
        env[name] = environment.from_string(template).render(**namespace)
        safe_env[name] = environment.from_string(template).render(**safe_namespace)
    return env, safe_env, files
