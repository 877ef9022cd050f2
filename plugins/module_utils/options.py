# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared connection options (auth, endpoints, retries) with their HW_* environment fallbacks.

``AUTH_ARGUMENT_SPEC`` goes into an AnsibleModule argument_spec; ``resolve_params`` does the
same fallback/default/type work for lookup and action plugins, where AnsibleModule is absent.
plugins/doc_fragments/auth.py documents exactly these options.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.common.validation import (
    check_type_bool,
    check_type_dict,
    check_type_float,
    check_type_int,
    check_type_str,
)

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput

DEFAULT_MAX_RETRIES = 4
DEFAULT_REQUEST_TIMEOUT = 30
SECRET_OPTIONS = ("secret_key", "security_token", "auth_token", "password")
# Names that look secret to validate-modules but are identifiers: say so explicitly.
NOT_SECRET_OPTIONS = ("access_key",)

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
}


def _option(option_type, name=None, default=None):
    spec = {"type": option_type}
    if name in ENV_VARS:
        spec["fallback"] = (env_fallback, [ENV_VARS[name]])
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
    "endpoints": _option("dict"),
    "request_timeout": _option("float", default=DEFAULT_REQUEST_TIMEOUT),
    "validate_certs": _option("bool", default=True),
}

_CHECKERS = {
    "str": lambda value: check_type_str(value, allow_conversion=True),
    "int": check_type_int,
    "float": check_type_float,
    "bool": check_type_bool,
    "dict": check_type_dict,
}


def auth_argument_spec():
    """A fresh copy of AUTH_ARGUMENT_SPEC, safe to extend in a module."""
    return dict((name, dict(spec)) for name, spec in AUTH_ARGUMENT_SPEC.items())


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
        value = given.get(name)
        source = "option %s" % name
        if value is None and name in ENV_VARS:
            value = environ.get(ENV_VARS[name])
            source = "environment variable %s (option %s)" % (ENV_VARS[name], name)
        if value is None:
            value = spec.get("default")
        if value is not None:
            value = _convert(name, value, spec["type"], source)
        resolved[name] = value
    return resolved
