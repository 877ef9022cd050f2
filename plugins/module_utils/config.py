# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validated connection settings of the client, and the one choice of the auth method.

    config = ClientConfig.from_params(params)   # InvalidInput on a bad value or incomplete auth
    config.auth_class                            # auth.TokenAuth / AkSkAuth / PasswordAuth, temporary_keys'
                                                 # MetadataAuth / AgencyAuth (credential_chain.py chose it)
    config.auth_method                           # its name: "token", "aksk", "password", "metadata", "agency"
    config.credential_source                     # where the base credential came from (never a secret)
    config.verify                                # requests' verify: False, True or the cacert_file path
    config.warnings                              # sentences the caller shows as Ansible warnings

``from_params(params, environ)`` is where the ``HW_*`` fallbacks of ``environ`` are applied (the lookup
and the event source pass the process environment); modules and the action plugin pass none: their
argument spec applied them (the action plugin's reads the controller's environment and the task's).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import ssl

from urllib.parse import urlsplit

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import ENDPOINT_KEYS
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.credential_chain import choose_credentials
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.http_errors import strip_ssl_source
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.options import resolve_params

DEFAULT_CLOUD = "myhuaweicloud.com"
REGION_CLOUDS = {"eu-west-101": "myhuaweicloud.eu"}

# A sub-project is named {region}_{suffix}: its endpoints are the region's (host_region).
_REGION_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(_[A-Za-z0-9-]+)?$")
_CLOUD_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]*$")


def check_base_url(option, value):
    """``value`` without its trailing slash; InvalidInput unless it is an http(s) URL without query."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InvalidInput("%s must be an http:// or https:// URL without query string, got %r" % (option, value),
                           option=option.split(".")[0])
    return value.rstrip("/")


def check_ca_bundle(path):
    """The absolute path of a readable PEM CA bundle; InvalidInput naming cacert_file otherwise.

    Loaded once here, so a wrong file fails before any request, not as a puzzling handshake error.
    """
    path = os.path.abspath(path)
    problem = None
    if not os.path.isfile(path):
        problem = "does not exist" if not os.path.exists(path) else "is not a file"
    else:
        try:
            ssl.create_default_context(cafile=path)
        except ssl.SSLError as exc:
            problem = "holds no PEM CA certificate (%s)" % strip_ssl_source(str(exc))
        except (OSError, ValueError) as exc:
            problem = "cannot be read (%s)" % exc
    if problem:
        raise InvalidInput("cacert_file (OS_CACERT) must be a readable PEM file of CA certificates; %s %s"
                           % (path, problem), option="cacert_file")
    return path


class ClientConfig:
    """Validated connection settings. Build it with ``from_params``; it never shows secrets in repr."""

    def __init__(self, values, auth_class, chain=None):
        self.region = values["region"]
        self.project_id = values["project_id"]
        self.cloud = values["cloud"]
        self.auth_url = values["auth_url"]
        self.access_key = values["access_key"]
        self.secret_key = values["secret_key"]
        self.security_token = values["security_token"]
        self.auth_token = values["auth_token"]
        self.user_name = values["user_name"]
        self.password = values["password"]
        self.domain_name = values["domain_name"]
        self.max_retries = values["max_retries"]
        # Requests per second per endpoint at most; None: learnt from the gateway's 429s (rate_limit.py).
        self.max_request_rate = values.get("max_request_rate")
        self.endpoints = values["endpoints"]
        self.request_timeout = values["request_timeout"]
        # Unset (neither the option nor HW_INSECURE) means verify.
        self.validate_certs = values["validate_certs"] is not False
        self.cacert_file = values["cacert_file"]
        self.auth_class = auth_class
        self.shared_config_file = values.get("shared_config_file")
        self.profile = values.get("profile")
        self.assume_role = values.get("assume_role") or {}
        self.base_auth_class = chain.base_auth_class if chain else auth_class
        self.credential_source = chain.source if chain else "options or HW_* variables"
        self.credentials_tried = chain.tried if chain else []
        self.warnings = []
        if not self.validate_certs:
            warning = ("TLS certificate verification is off (validate_certs=false or HW_INSECURE=true): anyone on the "
                       "network path can impersonate the endpoints and read the credentials; trust a private CA with "
                       "cacert_file (OS_CACERT) instead")
            if self.cacert_file:
                warning += "; cacert_file %s is ignored while verification is off" % self.cacert_file
            self.warnings.append(warning)

    @property
    def verify(self):
        """requests' ``verify``: the CA bundle when one is given, else whether to verify at all."""
        if not self.validate_certs:
            return False
        return self.cacert_file or True

    @property
    def auth_method(self):
        return self.auth_class.name

    def __repr__(self):
        return "ClientConfig(region=%r, project_id=%r, cloud=%r, auth_method=%r, endpoints=%r)" % (
            self.region, self.project_id, self.cloud, self.auth_method, sorted(self.endpoints))

    @classmethod
    def from_params(cls, params, environ=None):
        """Check the connection options of ``params``, with the ``HW_*`` fallbacks of ``environ`` (None: an
        argument spec already applied them). Raises InvalidInput naming the option (or variable)."""
        values = resolve_params(params, environ={} if environ is None else environ)
        for name, value in values.items():
            if isinstance(value, str):
                values[name] = value.strip() or None
        values["endpoints"] = cls._check_endpoints(values["endpoints"])
        if values["max_retries"] < 0:
            raise InvalidInput("max_retries must be 0 or more, got %r" % values["max_retries"], option="max_retries")
        rate = values.get("max_request_rate")
        if rate is not None and not (rate > 0 and rate != float("inf")):
            raise InvalidInput("max_request_rate must be a number of requests per second above 0 (or unset: learnt "
                               "from the API's throttling), got %r" % rate, option="max_request_rate")
        if values["request_timeout"] <= 0:
            raise InvalidInput("request_timeout must be more than 0 seconds, got %r" % values["request_timeout"],
                               option="request_timeout")
        chain = choose_credentials(values)   # a profile may fill region and project_id: checked below
        if values["region"] is not None and not _REGION_RE.match(values["region"]):
            raise InvalidInput("region must look like eu-west-101 (lower-case letters, digits, dashes), got %r"
                               % values["region"], option="region")
        if values["cloud"] is not None and not _CLOUD_RE.match(values["cloud"]):
            raise InvalidInput("cloud must be a domain name such as myhuaweicloud.com, got %r" % values["cloud"],
                               option="cloud")
        if values["auth_url"] is not None:
            values["auth_url"] = check_base_url("auth_url", values["auth_url"])
        if values["cacert_file"] is not None:
            values["cacert_file"] = check_ca_bundle(values["cacert_file"])
        return cls(values, chain.auth_class, chain)

    @staticmethod
    def _check_endpoints(endpoints):
        checked = {}
        for key, url in (endpoints or {}).items():
            if key not in ENDPOINT_KEYS:
                raise InvalidInput("endpoints has an unknown key %r; allowed keys: %s" % (key, ", ".join(ENDPOINT_KEYS)),
                                   option="endpoints", allowed=ENDPOINT_KEYS)
            if url in (None, ""):
                continue
            if not isinstance(url, str):
                raise InvalidInput("endpoints.%s must be a URL string, got %r" % (key, url), option="endpoints")
            checked[key] = check_base_url("endpoints.%s" % key, url.strip())
        return checked

    def secret_values(self):
        return [value for value in (self.secret_key, self.security_token, self.auth_token, self.password) if value]

    def resolved_cloud(self):
        return self.cloud or REGION_CLOUDS.get(self.region, DEFAULT_CLOUD)

    def host_region(self, purpose):
        """The region part of ``region`` (without a sub-project's _suffix), as endpoint hosts carry it."""
        return self.require_region(purpose).split("_", 1)[0]

    def require_region(self, purpose):
        """The region, or InvalidInput saying what it is needed for."""
        if not self.region:
            raise InvalidInput("region (HW_REGION_NAME) is required to %s" % purpose, option="region")
        return self.region
