# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared connection options (auth, endpoints, retries, TLS) with their environment fallbacks.

``AUTH_ARGUMENT_SPEC`` goes into an AnsibleModule argument_spec. Its fallbacks are the one place
the ``HW_*`` variables are read, for every caller: AnsibleModule calls them on the module's process
environment, the action plugin validates with ``with_environment(spec, task_environment)``, and
``resolve_params`` (lookup, event source: no AnsibleModule) calls the same functions through
``fallback_value`` before its own default and type work.
plugins/doc_fragments/auth.py documents exactly these options.

The TLS options follow Terraform's provider: ``cacert_file`` falls back to ``OS_CACERT``, and
``validate_certs`` to the negation of ``HW_INSECURE`` (Terraform's ``insecure``). An option given
in the task always wins over its variable; ``validate_certs`` has no default in the spec so that a
lookup (whose options take the documented defaults) still sees HW_INSECURE: unset means true.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.basic import AnsibleFallbackNotFound
from ansible.module_utils.common.validation import (
    check_type_bool,
    check_type_dict,
    check_type_float,
    check_type_int,
    check_type_path,
    check_type_str,
)

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput

DEFAULT_MAX_RETRIES = 4
DEFAULT_REQUEST_TIMEOUT = 30
# The access key ID counts as a secret too: Huawei Cloud asks to keep AK and SK alike private, and a job's
# events (AWX, Automation Platform) must not carry it, also not in a module's echoed invocation.
SECRET_OPTIONS = ("secret_key", "security_token", "auth_token", "password", "access_key")
# Names that look secret to validate-modules but are identifiers: say so explicitly.
NOT_SECRET_OPTIONS = ()

# option name -> environment variable read when the option is not given
ENV_VARS = {
    "region": "HW_REGION_NAME",
    "project_id": "HW_PROJECT_ID",
    "cloud": "HW_CLOUD",
    "auth_url": "HW_AUTH_URL",
    "access_key": "HW_ACCESS_KEY",
    "secret_key": "HW_SECRET_KEY",
    "security_token": "HW_SECURITY_TOKEN",
    "auth_token": "HW_AUTH_TOKEN",
    "user_name": "HW_USER_NAME",
    "password": "HW_USER_PASSWORD",
    "domain_name": "HW_DOMAIN_NAME",
    "max_retries": "HW_MAX_RETRIES",
    "max_request_rate": "HW_MAX_REQUEST_RATE",
    "cacert_file": "OS_CACERT",
    "validate_certs": "HW_INSECURE",
    "shared_config_file": "HW_SHARED_CONFIG_FILE",
    "profile": "HW_PROFILE",
}
# Suboptions of assume_role -> the Terraform provider's variables (read per suboption, like Terraform).
ASSUME_ROLE_ENV_VARS = {
    "agency_name": "HW_ASSUME_ROLE_AGENCY_NAME",
    "domain_name": "HW_ASSUME_ROLE_DOMAIN_NAME",
    "domain_id": "HW_ASSUME_ROLE_DOMAIN_ID",
    "duration": "HW_ASSUME_ROLE_DURATION",
}
# Options whose variable says the opposite: HW_INSECURE=true means validate_certs=false.
NEGATED_ENV_OPTIONS = ("validate_certs",)
# Number options whose variable, set but blank (an empty AWX credential field), counts as not set.
BLANK_IS_UNSET_OPTIONS = ("max_request_rate",)


def _negated_bool(raw, env_name):
    """``not raw`` as a boolean; None when ``raw`` is empty (Terraform ignores an empty variable too)."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        return not check_type_bool(raw)
    except (TypeError, ValueError):
        raise InvalidInput("environment variable %s must be a boolean such as true or false, got %r" % (env_name, raw),
                           option="validate_certs")


def _environ(kwargs):
    """The environment a fallback reads: ``environ=`` when given (the action plugin's task environment,
    the lookup's process environment), else the module's own process environment."""
    environ = kwargs.get("environ")
    return os.environ if environ is None else environ


def env_fallback(*names, **kwargs):
    """AnsibleModule fallback: the first set variable of ``names`` (``environ=``: see _environ)."""
    environ = _environ(kwargs)
    for name in names:
        if name in environ:
            return environ[name]
    raise AnsibleFallbackNotFound


def negated_env_fallback(*names, **kwargs):
    """AnsibleModule fallback: the negation of the first set variable of ``names`` (HW_INSECURE).

    A value that is not a boolean is handed on as ``NAME=value`` so that Ansible's type check
    rejects it with the variable's name in the message; with ``strict=True`` (no type check follows)
    it raises InvalidInput instead.
    """
    environ = _environ(kwargs)
    for name in names:
        raw = environ.get(name)
        if raw is None:
            continue
        try:
            value = _negated_bool(raw, name)
        except InvalidInput:
            if kwargs.get("strict"):
                raise
            return "%s=%s" % (name, raw.strip())
        if value is not None:
            return value
    raise AnsibleFallbackNotFound


def nonempty_env_fallback(*names, **kwargs):
    """AnsibleModule fallback: the first variable of ``names`` that is set and not blank.

    The AWX credential type injects an empty variable for an empty field: for a number that means unset.
    """
    environ = _environ(kwargs)
    for name in names:
        raw = environ.get(name)
        if raw is not None and raw.strip():
            return raw.strip()
    raise AnsibleFallbackNotFound


def fallback_variable(spec):
    """The environment variable an option's spec falls back to, or None."""
    fallback = spec.get("fallback")
    return fallback[1][0] if fallback else None


def fallback_value(spec, environ, **options):
    """What an option's fallback finds in ``environ`` (None: nothing): the very function AnsibleModule calls."""
    fallback = spec.get("fallback")
    if not fallback:
        return None
    try:
        return fallback[0](*fallback[1], environ=environ, **options)
    except AnsibleFallbackNotFound:
        return None


def with_environment(argument_spec, environ):
    """``argument_spec`` whose fallbacks read ``environ`` instead of the process environment: the action
    plugin validates on the controller, where a task's ``environment:`` is not in ``os.environ``."""
    bound = {}
    for name, option in argument_spec.items():
        fallback = option.get("fallback")
        if fallback and fallback[0] in (env_fallback, negated_env_fallback, nonempty_env_fallback):
            option = dict(option, fallback=(fallback[0], list(fallback[1]), {"environ": environ}))
        if option.get("options"):   # assume_role's HW_ASSUME_ROLE_* suboptions
            option = dict(option, options=with_environment(option["options"], environ))
        bound[name] = option
    return bound


def _option(option_type, name=None, default=None, env_vars=None):
    # A suboption's variable (HW_ASSUME_ROLE_*) set but blank counts as not set, as _resolve_suboptions reads it:
    # the AWX credential type injects every field, an empty one as an empty variable.
    blank_is_unset = env_vars is not None or name in BLANK_IS_UNSET_OPTIONS
    env_vars = ENV_VARS if env_vars is None else env_vars
    spec = {"type": option_type}
    if name in NEGATED_ENV_OPTIONS:
        spec["fallback"] = (negated_env_fallback, [ENV_VARS[name]])
    elif blank_is_unset and name in env_vars:
        spec["fallback"] = (nonempty_env_fallback, [env_vars[name]])
    elif name in env_vars:
        spec["fallback"] = (env_fallback, [env_vars[name]])
    if name in SECRET_OPTIONS:
        spec["no_log"] = True
    elif name in NOT_SECRET_OPTIONS:
        spec["no_log"] = False
    if default is not None:
        spec["default"] = default
    return spec


# cloud has no default here on purpose: region eu-west-101 picks myhuaweicloud.eu only
# when the user did not choose a cloud, which a default would hide.
AUTH_ARGUMENT_SPEC = {
    "region": _option("str", "region"),
    "project_id": _option("str", "project_id"),
    "cloud": _option("str", "cloud"),
    "auth_url": _option("str", "auth_url"),
    "access_key": _option("str", "access_key"),
    "secret_key": _option("str", "secret_key"),
    "security_token": _option("str", "security_token"),
    "auth_token": _option("str", "auth_token"),
    "user_name": _option("str", "user_name"),
    "password": _option("str", "password"),
    "domain_name": _option("str", "domain_name"),
    "max_retries": _option("int", "max_retries", DEFAULT_MAX_RETRIES),
    "max_request_rate": _option("float", "max_request_rate"),
    "endpoints": _option("dict"),
    "request_timeout": _option("float", default=DEFAULT_REQUEST_TIMEOUT),
    "validate_certs": _option("bool", "validate_certs"),
    "cacert_file": _option("path", "cacert_file"),
    "shared_config_file": _option("path", "shared_config_file"),
    "profile": _option("str", "profile"),
    # apply_defaults: the suboptions' HW_ASSUME_ROLE_* fallbacks apply when the dict is not given.
    "assume_role": {"type": "dict", "apply_defaults": True, "options": {
        "agency_name": _option("str", "agency_name", env_vars=ASSUME_ROLE_ENV_VARS),
        "domain_name": _option("str", "domain_name", env_vars=ASSUME_ROLE_ENV_VARS),
        "domain_id": _option("str", "domain_id", env_vars=ASSUME_ROLE_ENV_VARS),
        "duration": _option("int", "duration", env_vars=ASSUME_ROLE_ENV_VARS),
    }},
}

_CHECKERS = {
    "str": lambda value: check_type_str(value, allow_conversion=True),
    "path": check_type_path,
    "int": check_type_int,
    "float": check_type_float,
    "bool": check_type_bool,
    "dict": check_type_dict,
}


def _copy_spec(spec):
    spec = dict(spec)
    if "options" in spec:
        spec["options"] = dict((name, _copy_spec(sub)) for name, sub in spec["options"].items())
    return spec


def auth_argument_spec():
    """A fresh copy of AUTH_ARGUMENT_SPEC, safe to extend in a module."""
    return dict((name, _copy_spec(spec)) for name, spec in AUTH_ARGUMENT_SPEC.items())


def _convert(name, value, option_type, source):
    try:
        return _CHECKERS[option_type](value)
    except (TypeError, ValueError):
        shown = "a secret value" if name in SECRET_OPTIONS else repr(value)
        raise InvalidInput("%s must be of type %s, got %s" % (source, option_type, shown), option=name)


def resolve_params(given, environ=None):
    """Apply env fallbacks, defaults and type conversion to the shared options in ``given``.

    Keys of ``given`` that are not shared options are ignored; a None value counts as not given.
    Returns a dict with every shared option. Raises InvalidInput naming the option.
    """
    environ = os.environ if environ is None else environ
    resolved = {}
    for name, spec in AUTH_ARGUMENT_SPEC.items():
        if "options" in spec:
            resolved[name] = _resolve_suboptions(name, spec, given.get(name), environ)
            continue
        value = given.get(name)
        source = "option %s" % name
        if value is None and fallback_variable(spec):
            value = fallback_value(spec, environ, strict=True)
            source = "environment variable %s (option %s)" % (fallback_variable(spec), name)
        if value is None:
            value = spec.get("default")
        if value is not None:
            value = _convert(name, value, spec["type"], source)
        resolved[name] = value
    return resolved


def _resolve_suboptions(name, spec, given, environ):
    """A dict option with suboptions (assume_role): every suboption, given or from its variable.

    Like AnsibleModule with ``apply_defaults``: the result has every suboption, None when unset.
    """
    if given is None:
        given = {}
    elif not isinstance(given, dict):
        given = _convert(name, given, "dict", "option %s" % name)
    unknown = sorted(set(given) - set(spec["options"]))
    if unknown:
        raise InvalidInput("%s has an unknown key %r; allowed keys: %s" % (name, unknown[0], ", ".join(spec["options"])),
                           option=name, allowed=list(spec["options"]))
    resolved = {}
    for sub, sub_spec in spec["options"].items():
        value = given.get(sub)
        source = "option %s.%s" % (name, sub)
        if value is None and fallback_variable(sub_spec):
            value = fallback_value(sub_spec, environ)
            source = "environment variable %s (option %s.%s)" % (fallback_variable(sub_spec), name, sub)
        if isinstance(value, str) and not value.strip():
            value = None
        resolved[sub] = None if value is None else _convert(name, value, sub_spec["type"], source)
    return resolved
