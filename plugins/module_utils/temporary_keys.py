# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Temporary keys (access key, secret key, security token) that expire and are renewed before they do.

Two sources, each an ``auth.Auth`` the client uses like the others:

    MetadataAuth    the ECS metadata service (an agency attached to the ECS), the last resort of the
                    credential chain; off an ECS it fails fast with the "what was tried" message
    AgencyAuth      an agency of another account (assume role): IAM's securitytokens call, signed with
                    whichever base credential the chain found (config.base_auth_class)

Both sign like AK/SK with ``X-Security-Token`` added *before* signing (so it is in SignedHeaders, as
the SDK does). Keys are renewed before each request once they are close to expiry (the SDK renews
metadata keys well before expiry, the Terraform provider 10 min before; short-lived test keys renew
at a quarter of their life), and once more when the gateway says they expired, so a long wait loses
no poll. Neither the metadata answer nor the IAM answer is ever quoted in an error: they hold keys.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading

from urllib.parse import urlsplit

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.auth import Auth, parse_token_expiry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import AUTH_ENDPOINT, AUTH_ENTRY, METADATA_ENDPOINT
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    AuthError,
    ContractError,
    InvalidInput,
    format_api_message,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.retries import TRANSPORT_ERRORS
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.signer import Signer

# The one place that names the ECS metadata address; endpoints.metadata replaces it (tests, proxies).
DEFAULT_METADATA_URL = "http://169.254.169.254"
METADATA_KEYS_PATH = "/openstack/latest/securitykey"
METADATA_TOKEN_PATH = "/meta-data/latest/api/token"
METADATA_TOKEN_TTL = "21600"
# Off an ECS nothing answers at the metadata address: give up quickly, never retry past this.
METADATA_CONNECT_TIMEOUT = 1.0
METADATA_READ_TIMEOUT = 1.5
# A metadata service without this session-token API answers these; the SDK then goes on without one.
METADATA_NO_TOKEN_STATUSES = (404, 405, 503)
NO_AGENCY_MARK = "configure cloud service agency"

STS_PATH = "/v3.0/OS-CREDENTIAL/securitytokens"
STS_MIN_DURATION = 900
STS_MAX_DURATION = 86400

# Renew this long before expiry (the Terraform provider's margin), or at a quarter of the keys'
# life when they live shorter than four times that.
RENEW_MARGIN = 600.0
# How many earlier keys stay masked in messages after a renewal.
_REMEMBERED_SECRETS = 32


class TemporaryKeys(object):
    """One set of temporary keys; repr shows none of them."""

    def __init__(self, access, secret, security_token, expires_epoch, obtained_epoch):
        self.access = access
        self.secret = secret
        self.security_token = security_token
        self.expires_epoch = expires_epoch
        self.obtained_epoch = obtained_epoch

    def __repr__(self):
        return "TemporaryKeys(expires_epoch=%r)" % self.expires_epoch

    def renew_at(self):
        """Epoch after which these keys are renewed before use (None: never by time)."""
        if self.expires_epoch is None:
            return None
        life = max(0.0, self.expires_epoch - self.obtained_epoch)
        return self.expires_epoch - min(RENEW_MARGIN, life / 4.0)


def keys_from_answer(answer, what):
    """TemporaryKeys fields from ``{"credential": {access, secret, securitytoken, expires_at}}``.

    Raises ValueError naming the missing field only (the answer holds keys: never quoted).
    """
    credential = answer.get("credential") if isinstance(answer, dict) else None
    if not isinstance(credential, dict):
        raise ValueError("%s has no credential object" % what)
    fields = {}
    for name in ("access", "secret", "securitytoken"):
        value = credential.get(name)
        if not isinstance(value, str) or not value:
            raise ValueError("%s has no credential.%s" % (what, name))
        fields[name] = value
    expires = credential.get("expires_at")
    expires_epoch = parse_token_expiry(expires) if isinstance(expires, str) else None
    if expires is not None and expires_epoch is None:
        raise ValueError("%s has an unreadable credential.expires_at" % what)
    return fields["access"], fields["secret"], fields["securitytoken"], expires_epoch


class TemporaryKeyAuth(Auth):
    """Signs with temporary keys that ``_obtain(deadline)`` fetches; renews them before they expire."""

    renewable = True

    def __init__(self, config, client):
        super(TemporaryKeyAuth, self).__init__(config, client)
        self._keys = None
        self._lock = threading.Lock()
        self._used = threading.local()
        self._old_secrets = []

    def _obtain(self, deadline):
        raise NotImplementedError

    def _fresh(self, keys):
        renew_at = keys.renew_at() if keys is not None else None
        return keys is not None and (renew_at is None or self.client.wall_clock() < renew_at)

    def refresh(self, deadline, force=False):
        with self._lock:
            keys = self._keys
            # Another thread may have renewed already: only drop the keys this thread was refused with.
            if force and keys is not None and keys is getattr(self._used, "keys", keys):
                keys = None
            if not self._fresh(keys):
                if self._keys is not None:
                    self._old_secrets = (self._old_secrets + self._secrets_of(self._keys))[-_REMEMBERED_SECRETS:]
                self._keys = self._obtain(deadline)

    @staticmethod
    def _secrets_of(keys):
        return [keys.access, keys.secret, keys.security_token] if keys is not None else []

    def secret_values(self):
        return self._old_secrets + self._secrets_of(self._keys)

    def headers(self, method, url, headers, payload):
        keys = self._keys
        self._used.keys = keys
        headers = dict(headers)
        headers["X-Security-Token"] = keys.security_token   # before signing: it is in SignedHeaders
        project_id = self.project_header(url)
        if project_id:
            headers["X-Project-Id"] = project_id
        signer = Signer(keys.access, keys.secret, wall_clock=self.client.wall_clock)
        return signer.sign(method, url, headers, payload)


class MetadataAuth(TemporaryKeyAuth):
    """Keys of the agency attached to this ECS, from its metadata service (the chain's last resort)."""

    name = "metadata"
    label = "ECS metadata"

    def base_url(self):
        return self.config.endpoints.get(METADATA_ENDPOINT) or DEFAULT_METADATA_URL

    def cache_identity(self):
        return "metadata:" + self.base_url()

    def _no_credentials(self, reason):
        tried = list(self.config.credentials_tried) + ["ECS metadata at %s: %s" % (self.base_url(), reason)]
        return InvalidInput("no credentials found; tried, in order: %s" % "; ".join(tried),
                            option="auth_token", allowed=["auth_token", "access_key", "user_name", "profile"])

    def _timeout(self, deadline):
        timeout = (METADATA_CONNECT_TIMEOUT, METADATA_READ_TIMEOUT)
        if deadline is not None:
            remaining = max(0.001, deadline - self.client.clock())
            timeout = (min(timeout[0], remaining), min(timeout[1], remaining))
        return timeout

    def _call(self, method, path, headers, deadline):
        """One metadata call, never retried: off an ECS every attempt would wait as long again."""
        self.client.count_request()   # in the request statistics like every call
        try:
            return self.client.session.request(method, self.base_url() + path, headers=headers,
                                               timeout=self._timeout(deadline), allow_redirects=False)
        except TRANSPORT_ERRORS as exc:
            # One sentence, without urllib3's wrapper text.
            kind = "timed out" if "timeout" in type(exc).__name__.lower() else "unreachable"
            raise self._no_credentials("%s (%s, not retried; this host is probably not an ECS)" % (kind, type(exc).__name__))

    def _session_token(self, deadline):
        response = self._call("PUT", METADATA_TOKEN_PATH, {"X-Metadata-Token-Ttl-Seconds": METADATA_TOKEN_TTL}, deadline)
        if 200 <= response.status_code < 300:
            return response.content.decode("utf-8", "replace").strip() or None
        if response.status_code in METADATA_NO_TOKEN_STATUSES:
            return None
        raise self._no_credentials("the session token request answered HTTP %d" % response.status_code)

    def _obtain(self, deadline):
        token = self._session_token(deadline)
        headers = {"Accept": "application/json"}
        if token:
            headers["X-Metadata-Token"] = token
        response = self._call("GET", METADATA_KEYS_PATH, headers, deadline)
        body = response.content.decode("utf-8", "replace") if response.content else ""
        if response.status_code == 401 and NO_AGENCY_MARK in body.lower():
            raise self._no_credentials("this ECS has no agency (HTTP 401 \"Please configure Cloud Service Agency "
                                       "first\"): attach an agency to the ECS, or give credentials")
        if response.status_code != 200:
            raise self._no_credentials("HTTP %d" % response.status_code)
        # The answer holds keys: say what was wrong with it, never what it held.
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        try:
            fields = keys_from_answer(answer, "the metadata answer")
        except ValueError as exc:
            raise ContractError(format_api_message(METADATA_ENDPOINT, "GET", METADATA_KEYS_PATH, 200, error_msg=str(exc)),
                                field="credential", status=200, method="GET", path=METADATA_KEYS_PATH,
                                service=METADATA_ENDPOINT)
        return TemporaryKeys(*fields, obtained_epoch=self.client.wall_clock())

    def explain(self, err, refreshed):
        if err.status == 401 and refreshed:
            return err.explain("freshly issued ECS metadata keys were refused too: check the permissions of the "
                               "agency attached to the ECS")
        return err


class AgencyAuth(TemporaryKeyAuth):
    """Keys of an agency (assume_role), obtained with the base credential and renewed before expiry."""

    name = "agency"
    label = "agency"

    def __init__(self, config, client):
        super(AgencyAuth, self).__init__(config, client)
        self.base = config.base_auth_class(config, client)

    def __repr__(self):
        return "AgencyAuth(base=%r)" % self.base

    def _target(self):
        role = self.config.assume_role
        domain = role.get("domain_name") or role.get("domain_id")
        return "%s/%s" % (domain, role["agency_name"])

    def cache_identity(self):
        return "agency:%s:%s" % (self._target(), self.base.cache_identity())

    def secret_values(self):
        return super(AgencyAuth, self).secret_values() + self.base.secret_values()

    def sts_url(self):
        return iam_base_url(self.config, self.client) + STS_PATH

    def _body(self):
        role = self.config.assume_role
        assume = {"agency_name": role["agency_name"]}
        if role.get("domain_name"):
            assume["domain_name"] = role["domain_name"]
        else:
            assume["domain_id"] = role["domain_id"]
        if role.get("duration"):
            assume["duration_seconds"] = role["duration"]
        return {"auth": {"identity": {"methods": ["assume_role"], "assume_role": assume}}}

    def _obtain(self, deadline):
        payload = json.dumps(self._body(), separators=(",", ":")).encode("utf-8")
        refreshed = False
        self.base.refresh(deadline)
        while True:
            try:
                response = self.client.send(AUTH_ENTRY, "POST", STS_PATH, self.sts_url(), payload,
                                            deadline=deadline, auth=self.base)
                break
            except AuthError as err:
                if err.token_expired and self.base.renewable and not refreshed:
                    refreshed = True
                    self.base.refresh(deadline, force=True)
                    continue
                raise self.base.explain(err, refreshed).explain(
                    "IAM refused to issue keys of agency %s with the %s credential: check assume_role "
                    "(HW_ASSUME_ROLE_AGENCY_NAME, HW_ASSUME_ROLE_DOMAIN_NAME / HW_ASSUME_ROLE_DOMAIN_ID) and that "
                    "the agency trusts this account" % (self._target(), self.base.label))
        try:
            fields = keys_from_answer(response.json, "the securitytokens answer")
        except ValueError as exc:
            raise ContractError(format_api_message(AUTH_ENDPOINT, "POST", STS_PATH, response.status, error_msg=exc.args[0],
                                                   request_id=response.request_id),
                                field="credential", status=response.status, request_id=response.request_id,
                                method="POST", path=STS_PATH, service=AUTH_ENDPOINT)
        return TemporaryKeys(*fields, obtained_epoch=self.client.wall_clock())

    def explain(self, err, refreshed):
        if err.status in (401, 403):
            return err.explain("the request was signed with keys of agency %s%s" % (
                self._target(), " (renewed once already)" if refreshed else ""))
        return err


def iam_base_url(config, client):
    """IAM's base URL without the /v3 that auth_url may carry: auth_url, else endpoints.iam, else the default."""
    base = config.auth_url or client.endpoint(AUTH_ENTRY)
    parts = urlsplit(base)
    if parts.path.rstrip("/").endswith("/v3"):
        base = base.rstrip("/")[:-len("/v3")]
    return base.rstrip("/")
