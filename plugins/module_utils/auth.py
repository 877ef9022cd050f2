# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The three ways to authenticate a request: static token, AK/SK signature, IAM password login.

``config.ClientConfig`` picks the method once (``AUTH_METHODS`` in precedence order); the client
builds it with ``config.auth_class(config, client)`` and from then on only calls:

    auth.refresh(deadline)                # before a request: the password login gets/renews its token
    auth.refresh(deadline, force=True)    # the gateway said the token expired (only if auth.renewable)
    auth.headers(method, url, headers, payload) -> headers with the credentials (signed per attempt)
    auth.project_id                       # project learnt from the IAM token, else None
    auth.secret_values()                  # issued secrets to redact (the IAM token)
    auth.explain(err, refreshed) -> err   # the actionable note for an AuthError

The IAM token request goes through ``client.send`` (same retries, deadline and redaction).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import email.utils
import hashlib
import hmac
import json
import os
import re
import threading

from urllib.parse import urlsplit

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import AUTH_ENDPOINT, AUTH_ENTRY
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    AuthError,
    ContractError,
    format_api_message,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.signer import Signer

TOKEN_PATH = "/v3/auth/tokens"
# IAM tokens live 24 h; renew a cached one this long before it expires.
TOKEN_EXPIRY_MARGIN = 300

_EXPIRES_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})")
# The gateway refuses an X-Sdk-Date this far from its own clock (API signing guide: 15 minutes).
MAX_AKSK_SKEW = 900
# "... signature expired, signature time:20260101T000000Z,server time:20260101T002000Z" (APIGW.0301 / .0303)
_SKEW_TIMES_RE = re.compile(r"signature time:\s*(\d{8}T\d{6}Z)\s*,\s*server time:\s*(\d{8}T\d{6}Z)", re.IGNORECASE)
_SDK_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")

# Process-wide IAM token cache. Keys hold an HMAC of the password under a per-process random
# salt, so neither the password nor a reusable hash of it sits in the key.
_TOKEN_CACHE = {}
_TOKEN_CACHE_LOCK = threading.Lock()
_CACHE_SALT = os.urandom(16)


def clear_token_cache():
    with _TOKEN_CACHE_LOCK:
        _TOKEN_CACHE.clear()


def _password_digest(password):
    return hmac.new(_CACHE_SALT, password.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_token_expiry(expires_at):
    """Epoch seconds of an IAM ``expires_at`` (UTC ISO 8601), or None when unreadable."""
    match = _EXPIRES_RE.match(expires_at or "")
    if not match:
        return None
    return calendar.timegm(tuple(int(part) for part in match.groups()) + (0, 0, 0))


def _sdk_epoch(text):
    match = _SDK_DATE_RE.match(text)
    return calendar.timegm(tuple(int(part) for part in match.groups()) + (0, 0, 0)) if match else None


def clock_skew(err, local_now):
    """Seconds the cloud's clock is ahead of this host's (negative: behind), or None when unknown.

    From the gateway's "signature time:...,server time:..." when it gives them, else from the
    answer's Date header against ``local_now`` (whole seconds, so good to about a second).
    """
    match = _SKEW_TIMES_RE.search(err.error_msg or "")
    if match:
        signed, server = _sdk_epoch(match.group(1)), _sdk_epoch(match.group(2))
        if signed is not None and server is not None:
            return server - signed
    parsed = email.utils.parsedate_tz(err.response_date) if err.response_date else None
    if parsed is None:
        return None
    return email.utils.mktime_tz(parsed) - local_now


def describe_skew(skew):
    """"this host's clock is 60 minutes behind the cloud's" for a skew in seconds (cloud minus host)."""
    minutes = int(round(abs(skew) / 60.0))
    direction = "behind" if skew > 0 else "ahead of"
    return "this host's clock is %d minute%s %s the cloud's" % (minutes, "" if minutes == 1 else "s", direction)


class Auth:
    """One auth method. Subclasses name the options that select it (``triggers``) and that it needs
    (``required``); ``label`` is how error messages call it."""

    name = None
    label = None
    triggers = ()
    required = ()
    # Whether new credentials can be obtained when the gateway says they expired.
    renewable = False

    def __init__(self, config, client):
        self.config = config
        self.client = client

    def __repr__(self):
        return "%s()" % type(self).__name__

    @property
    def project_id(self):
        return None

    def refresh(self, deadline, force=False):
        """Make the credentials usable; static credentials have nothing to do."""

    def cache_identity(self):
        """Who these credentials are, without a secret: part of the key of the region's project cache."""
        return self.name

    def project_header(self, url):
        """X-Project-Id of a signed call: the project (project_id, else the one found for the region) when the
        call is in it (its path names it); None for project-less calls (IAM's, which may even be made for
        another account's agency), as the SDK scopes only regional calls."""
        project_id = self.config.project_id or getattr(self.client, "region_project_id", None)
        if project_id and "/%s/" % project_id in urlsplit(url).path + "/":
            return project_id
        return None

    def headers(self, method, url, headers, payload):
        raise NotImplementedError

    def secret_values(self):
        return []

    def explain(self, err, refreshed):
        """Add the actionable part to an auth failure; returns the error."""
        return err


class TokenAuth(Auth):
    """A static X-Auth-Token (auth_token): cannot be renewed."""

    name = "token"
    label = "token"
    triggers = required = ("auth_token",)

    def headers(self, method, url, headers, payload):
        return dict(headers, **{"X-Auth-Token": self.config.auth_token})

    def cache_identity(self):
        return "token:" + _password_digest(self.config.auth_token)

    def explain(self, err, refreshed):
        if err.token_expired:
            return err.explain("the token given in auth_token (HW_AUTH_TOKEN) has expired and a static token cannot be "
                               "renewed: get a new token and set auth_token or HW_AUTH_TOKEN")
        return err


class AkSkAuth(Auth):
    """SDK-HMAC-SHA256 signature of access_key/secret_key, with the optional security_token."""

    name = "aksk"
    label = "AK/SK"
    required = ("access_key", "secret_key")
    triggers = required + ("security_token",)

    def __init__(self, config, client):
        super(AkSkAuth, self).__init__(config, client)
        self._signer = Signer(config.access_key, config.secret_key, wall_clock=client.wall_clock)

    def headers(self, method, url, headers, payload):
        headers = dict(headers)
        if self.config.security_token:
            headers["X-Security-Token"] = self.config.security_token
        project_id = self.project_header(url)
        if project_id:
            headers["X-Project-Id"] = project_id
        # Signed per attempt: X-Sdk-Date must stay within the gateway's 15 min skew window.
        return self._signer.sign(method, url, headers, payload)

    def cache_identity(self):
        return "aksk:" + self.config.access_key

    def explain(self, err, refreshed):
        if err.status != 401:
            return err
        skew = clock_skew(err, self.client.wall_clock())
        expired = "signature expired" in (err.error_msg or "").lower()
        if expired or (skew is not None and abs(skew) > MAX_AKSK_SKEW):
            # The keys are fine: a wrong clock makes every signature look expired.
            what = describe_skew(skew) if skew is not None else "this host's clock is too far from the cloud's"
            return err.explain("the AK/SK signature was refused because of clock skew: %s, and the gateway refuses "
                               "AK/SK signatures past 15 minutes of skew; fix this host's clock (NTP), or use token "
                               "auth (auth_token, or user_name/password/domain_name), which does not depend on it"
                               % what)
        return err.explain("check access_key/secret_key (HW_ACCESS_KEY/HW_SECRET_KEY) and the clock of this host; "
                           "5 failed AK/SK attempts lock the key for 5 minutes")


class _CachedToken:
    def __init__(self, token, project_id, expires_epoch):
        self.token = token
        self.project_id = project_id
        self.expires_epoch = expires_epoch


class PasswordAuth(Auth):
    """IAM password login (user_name/password/domain_name): a token shared process-wide, renewed
    before it expires and once more when the gateway answers APIGW.0307."""

    name = "password"
    label = "IAM password"
    triggers = required = ("user_name", "password", "domain_name")
    renewable = True

    def __init__(self, config, client):
        super(PasswordAuth, self).__init__(config, client)
        self._token = None

    @property
    def project_id(self):
        return self._token.project_id if self._token else None

    def secret_values(self):
        return [self._token.token] if self._token and self._token.token else []

    def token_url(self):
        """IAM token URL: auth_url, else endpoints.iam, else https://iam.{region}.{cloud}."""
        base = self.config.auth_url or self.client.endpoint(AUTH_ENTRY)
        if base.endswith("/v3"):
            return base + TOKEN_PATH[len("/v3"):]
        return base + TOKEN_PATH

    def _scope(self):
        if self.config.project_id:
            return ("id", self.config.project_id)
        return ("name", self.config.require_region("scope the IAM token (or set project_id)"))

    def refresh(self, deadline, force=False):
        """Take a usable token from the cache or IAM; ``force`` drops the cached one we were using."""
        url = self.token_url()
        scope = self._scope()
        key = (url, self.config.domain_name, self.config.user_name, scope, _password_digest(self.config.password))
        with _TOKEN_CACHE_LOCK:
            cached = _TOKEN_CACHE.get(key)
            # Another client may already have renewed it: only drop the token this client was rejected with.
            if force and cached is not None and (self._token is None or cached.token == self._token.token):
                del _TOKEN_CACHE[key]
                cached = None
            if not self._usable(cached):
                cached = self._fetch(url, scope, deadline)
                _TOKEN_CACHE[key] = cached
        self._token = cached

    def _usable(self, cached):
        if cached is None:
            return False
        return cached.expires_epoch is None or cached.expires_epoch - TOKEN_EXPIRY_MARGIN > self.client.wall_clock()

    def _fetch(self, url, scope, deadline):
        body = {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "domain": {"name": self.config.domain_name}, "name": self.config.user_name,
                "password": self.config.password}}},
            "scope": {"project": {scope[0]: scope[1]}},
        }}
        payload = json.dumps(body).encode("utf-8")
        display_path = TOKEN_PATH  # what the API calls it, whatever prefix auth_url carries
        try:
            response = self.client.send(AUTH_ENTRY, "POST", display_path, url, payload, deadline=deadline,
                                        authenticate=False)
        except AuthError as err:
            raise err.explain("IAM rejected user_name/password/domain_name (HW_USER_NAME/HW_USER_PASSWORD/HW_DOMAIN_NAME)")
        token = response.headers.get("X-Subject-Token")
        if not token:
            raise ContractError(format_api_message(AUTH_ENDPOINT, "POST", display_path, response.status,
                                                   error_msg="response has no X-Subject-Token header",
                                                   request_id=response.request_id),
                                field="X-Subject-Token", status=response.status, request_id=response.request_id,
                                method="POST", path=display_path, service=AUTH_ENDPOINT)
        token_info = (response.json or {}).get("token") if isinstance(response.json, dict) else None
        token_info = token_info if isinstance(token_info, dict) else {}
        project = token_info.get("project") if isinstance(token_info.get("project"), dict) else {}
        return _CachedToken(token, project.get("id"), parse_token_expiry(token_info.get("expires_at")))

    def headers(self, method, url, headers, payload):
        return dict(headers, **{"X-Auth-Token": self._token.token})

    def explain(self, err, refreshed):
        if refreshed:
            return err.explain("a freshly issued IAM token was rejected too")
        return err


# Precedence: auth_token wins, then access_key + secret_key, then user_name + password + domain_name
# (then a KooCLI profile and the ECS metadata keys: credential_chain.py).
AUTH_METHODS = (TokenAuth, AkSkAuth, PasswordAuth)
