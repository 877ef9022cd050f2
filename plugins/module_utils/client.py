# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client for the Huawei Cloud job APIs: endpoints, auth (token, AK/SK, IAM password), retries.

    config = ClientConfig.from_params(params)      # InvalidInput on incomplete auth
    client = Client(config)
    resp = client.request(service, "GET", "/v3/{project_id}/tasklist", query={"limit": 50})

Paths are raw (not percent-encoded): every segment is encoded here, once, the same way the
AK/SK signature expects. ``deadline`` is an absolute value of the client's ``clock``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import hashlib
import hmac
import json
import os
import random
import re
import threading
import time
import traceback

from email.utils import parsedate_tz, mktime_tz
from urllib.parse import urlsplit, urlunsplit

try:
    import requests
    from requests.exceptions import ChunkedEncodingError, ConnectTimeout
    from requests.exceptions import ConnectionError as RequestsConnectionError
    from requests.exceptions import Timeout as RequestsTimeout
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    TRANSPORT_ERRORS = ()
    PRE_SEND_ERRORS = ()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
    TRANSPORT_ERRORS = (RequestsConnectionError, RequestsTimeout, ChunkedEncodingError)
    # Raised before a single byte of the request left this host: safe to retry any method.
    PRE_SEND_ERRORS = (ConnectTimeout, NewConnectionError, ConnectTimeoutError)

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ApiError,
    AuthError,
    ContractError,
    InvalidInput,
    TaskGateError,
    Throttled,
    WaitTimeout,
    body_excerpt,
    error_from_response,
    format_api_message,
    redact,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import AUTH_ENDPOINT, ENDPOINT_KEYS, host_prefix
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.options import (
    ENV_VARS,
    resolve_params,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.signer import Signer, canonical_query, url_encode

DEFAULT_CLOUD = "myhuaweicloud.com"
REGION_CLOUDS = {"eu-west-101": "myhuaweicloud.eu"}
TOKEN_PATH = "/v3/auth/tokens"
USER_AGENT = "taskgate.huaweicloud"

RETRY_STATUSES = (429, 500, 502, 503, 504)
IDEMPOTENT_METHODS = ("GET", "HEAD", "OPTIONS")
BACKOFF_BASE = 0.5
BACKOFF_CAP = 20.0
# A Retry-After longer than this is not waited for: the error is raised at once instead.
RETRY_AFTER_LIMIT = 300.0
# IAM tokens live 24 h; renew a cached one this long before it expires.
TOKEN_EXPIRY_MARGIN = 300

_REGION_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CLOUD_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]*$")
_EXPIRES_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})")

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


def _parse_token_expiry(expires_at):
    """Epoch seconds of an IAM ``expires_at`` (UTC ISO 8601), or None when unreadable."""
    match = _EXPIRES_RE.match(expires_at or "")
    if not match:
        return None
    return calendar.timegm(tuple(int(part) for part in match.groups()) + (0, 0, 0))


def parse_retry_after(value, wall_clock=time.time):
    """Seconds to wait from a Retry-After header (delta seconds or HTTP date); None if absent or unreadable."""
    if value is None:
        return None
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    parsed = parsedate_tz(value)
    if parsed is None:
        return None
    return max(0.0, mktime_tz(parsed) - wall_clock())


def backoff_delay(attempt, rng, base=BACKOFF_BASE, cap=BACKOFF_CAP):
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2**attempt))."""
    return rng() * min(cap, base * (2 ** attempt))


def _failed_before_sending(exc):
    """True when a transport error happened while connecting, i.e. the server never saw the request."""
    pending, seen = [exc], set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if PRE_SEND_ERRORS and isinstance(current, PRE_SEND_ERRORS):
            return True
        pending.extend([getattr(current, "reason", None), current.__cause__, current.__context__])
        pending.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
    return False


def _query_pairs(query):
    """Flatten a dict (or list of pairs) to (key, value) pairs: None dropped, lists repeated."""
    if not query:
        return []
    items = query.items() if isinstance(query, dict) else query
    pairs = []
    for key, value in items:
        values = value if isinstance(value, (list, tuple)) else [value]
        pairs.extend((key, item) for item in values if item is not None)
    return pairs


def _encode_path(path):
    if not path.startswith("/"):
        path = "/" + path
    return "/".join(url_encode(segment) for segment in path.split("/"))


def _check_base_url(option, value):
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InvalidInput("%s must be an http:// or https:// URL without query string, got %r" % (option, value),
                           option=option.split(".")[0])
    return value.rstrip("/")


class ApiResponse:
    """A successful (2xx) response: ``json`` is the decoded body or None when the body was empty."""

    def __init__(self, status, json_body, headers, request_id):
        self.status = status
        self.json = json_body
        self.headers = headers
        self.request_id = request_id

    def __repr__(self):
        return "ApiResponse(status=%r, request_id=%r)" % (self.status, self.request_id)


class ClientConfig:
    """Validated connection settings. Build it with ``from_params``; it never shows secrets in repr."""

    def __init__(self, values, auth_method):
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
        self.endpoints = values["endpoints"]
        self.request_timeout = values["request_timeout"]
        self.validate_certs = values["validate_certs"]
        self.auth_method = auth_method

    def __repr__(self):
        return "ClientConfig(region=%r, project_id=%r, cloud=%r, auth_method=%r, endpoints=%r)" % (
            self.region, self.project_id, self.cloud, self.auth_method, sorted(self.endpoints))

    @classmethod
    def from_params(cls, params):
        """Validate module/lookup params (env fallbacks already applied). Raises InvalidInput."""
        values = resolve_params(params, environ={})
        for name, value in values.items():
            if isinstance(value, str):
                values[name] = value.strip() or None
        values["endpoints"] = cls._check_endpoints(values["endpoints"])
        if values["max_retries"] < 0:
            raise InvalidInput("max_retries must be 0 or more, got %r" % values["max_retries"], option="max_retries")
        if values["request_timeout"] <= 0:
            raise InvalidInput("request_timeout must be more than 0 seconds, got %r" % values["request_timeout"],
                               option="request_timeout")
        if values["region"] is not None and not _REGION_RE.match(values["region"]):
            raise InvalidInput("region must look like eu-west-101 (lower-case letters, digits, dashes), got %r"
                               % values["region"], option="region")
        if values["cloud"] is not None and not _CLOUD_RE.match(values["cloud"]):
            raise InvalidInput("cloud must be a domain name such as myhuaweicloud.com, got %r" % values["cloud"],
                               option="cloud")
        if values["auth_url"] is not None:
            values["auth_url"] = _check_base_url("auth_url", values["auth_url"])
        return cls(values, cls._auth_method(values))

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
            checked[key] = _check_base_url("endpoints.%s" % key, url.strip())
        return checked

    @staticmethod
    def _auth_method(values):
        """auth_token wins, then access_key + secret_key, then user_name + password + domain_name."""
        def named(names):
            return ", ".join("%s (%s)" % (name, ENV_VARS[name]) for name in names)

        def require(method, names):
            missing = [name for name in names if not values[name]]
            if missing:
                raise InvalidInput("%s authentication needs %s; missing: %s" % (method, named(names), ", ".join(missing)),
                                   option=missing[0])

        if values["auth_token"]:
            return "token"
        aksk = ("access_key", "secret_key")
        if any(values[name] for name in aksk + ("security_token",)):
            require("AK/SK", aksk)
            return "aksk"
        password = ("user_name", "password", "domain_name")
        if any(values[name] for name in password):
            require("IAM password", password)
            return "password"
        raise InvalidInput("no credentials given: set auth_token (HW_AUTH_TOKEN), or access_key and secret_key "
                           "(HW_ACCESS_KEY, HW_SECRET_KEY), or user_name, password and domain_name "
                           "(HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME)",
                           option="auth_token", allowed=("auth_token", "access_key", "user_name"))

    def secret_values(self):
        return [value for value in (self.secret_key, self.security_token, self.auth_token, self.password) if value]

    def resolved_cloud(self):
        return self.cloud or REGION_CLOUDS.get(self.region, DEFAULT_CLOUD)


class _CachedToken:
    def __init__(self, token, project_id, expires_epoch):
        self.token = token
        self.project_id = project_id
        self.expires_epoch = expires_epoch


class Client:
    """One requests.Session per Client; see the module docstring.

    ``clock``/``sleep``/``rng`` drive retries and deadlines, ``wall_clock`` (epoch seconds) the
    AK/SK date, Retry-After dates and token expiry; ``session`` replaces the requests.Session.
    """

    def __init__(self, config, clock=time.monotonic, sleep=time.sleep, rng=random.random, session=None, wall_clock=time.time):
        if session is None:
            if not HAS_REQUESTS:
                raise TaskGateError("the Python library requests is required: %s" % REQUESTS_IMPORT_ERROR)
            session = requests.Session()
        self.config = config
        self.clock = clock
        self.sleep = sleep
        self.rng = rng
        self.wall_clock = wall_clock
        self.session = session
        self.stats = {"requests": 0, "retries": 0, "throttled": 0, "auth_refreshes": 0}
        self._stats_lock = threading.Lock()
        self._learnt_project_id = None
        self._token = None
        self._signer = None
        if config.auth_method == "aksk":
            self._signer = Signer(config.access_key, config.secret_key, wall_clock=wall_clock)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self.session.close()

    def __repr__(self):
        return "Client(%r)" % self.config

    @staticmethod
    def idempotent(method):
        """Whether a failed call may be repeated after the server may have seen it (5xx, read errors)."""
        return method.upper() in IDEMPOTENT_METHODS

    @property
    def project_id(self):
        return self.config.project_id or self._learnt_project_id

    def _count(self, name):
        with self._stats_lock:
            self.stats[name] += 1

    def _secrets(self):
        token = self._token.token if self._token else None
        return self.config.secret_values() + ([token] if token else [])

    def _require_region(self, purpose):
        if not self.config.region:
            raise InvalidInput("region (HW_REGION_NAME) is required to %s" % purpose, option="region")
        return self.config.region

    def endpoint(self, service):
        """Base URL of a service: endpoints[service] if given, else https://{host}.{region}.{cloud}."""
        host = host_prefix(service)
        if service in self.config.endpoints:
            return self.config.endpoints[service]
        region = self._require_region("build the %s endpoint (or set endpoints.%s)" % (service, service))
        return "https://%s.%s.%s" % (host, region, self.config.resolved_cloud())

    def token_url(self):
        """IAM token URL: auth_url, else endpoints.iam, else https://iam.{region}.{cloud}."""
        base = self.config.auth_url or self.endpoint(AUTH_ENDPOINT)
        if base.endswith("/v3"):
            return base + TOKEN_PATH[len("/v3"):]
        return base + TOKEN_PATH

    # ---- public call -------------------------------------------------------------------------

    def request(self, service, method, path, query=None, body=None, deadline=None, headers=None):
        """Send one API call with auth and retries; returns ApiResponse or raises a TaskGateError."""
        method = method.upper()
        base = self.endpoint(service)
        if self.config.auth_method == "password":
            self._ensure_token(deadline)
        full_path = self._fill_project(path)
        url = self._url(base, full_path, query)
        payload = None if body is None else json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8")
        refreshed = False
        while True:
            try:
                return self._send(service, method, path, url, payload, headers, deadline, authenticate=True)
            except AuthError as err:
                if err.token_expired and self.config.auth_method == "password" and not refreshed:
                    refreshed = True
                    self._count("auth_refreshes")
                    self._ensure_token(deadline, force=True)
                    continue
                raise self._explain_auth_error(err, refreshed)

    def _explain_auth_error(self, err, refreshed):
        """Add the actionable part to an auth failure; returns the error."""
        method = self.config.auth_method
        if err.token_expired and method == "token":
            return err.explain("the token given in auth_token (HW_AUTH_TOKEN) has expired and a static token cannot be "
                               "renewed: get a new token and set auth_token or HW_AUTH_TOKEN")
        if refreshed:
            return err.explain("a freshly issued IAM token was rejected too")
        if method == "aksk" and err.status == 401:
            return err.explain("check access_key/secret_key (HW_ACCESS_KEY/HW_SECRET_KEY) and the clock of this host; "
                               "5 failed AK/SK attempts lock the key for 5 minutes")
        return err

    def _fill_project(self, path):
        if "{project_id}" not in path:
            return path
        if not self.project_id:
            raise InvalidInput("project_id (HW_PROJECT_ID) is required for this call", option="project_id")
        return path.replace("{project_id}", self.project_id)

    @staticmethod
    def _url(base, path, query):
        parts = urlsplit(base)
        full_path = parts.path.rstrip("/") + _encode_path(path)
        return urlunsplit((parts.scheme, parts.netloc, full_path, canonical_query(_query_pairs(query)), ""))

    # ---- auth --------------------------------------------------------------------------------

    def _request_headers(self, method, url, payload, extra, authenticate):
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if payload is not None:
            headers["Content-Type"] = "application/json;charset=UTF-8"
        headers.update(extra or {})
        if not authenticate:
            return headers
        if self.config.auth_method == "aksk":
            if self.config.security_token:
                headers["X-Security-Token"] = self.config.security_token
            if self.project_id:
                headers["X-Project-Id"] = self.project_id
            # Signed per attempt: X-Sdk-Date must stay within the gateway's 15 min skew window.
            return self._signer.sign(method, url, headers, payload)
        token = self.config.auth_token if self.config.auth_method == "token" else self._token.token
        headers["X-Auth-Token"] = token
        return headers

    def _token_scope(self):
        if self.config.project_id:
            return ("id", self.config.project_id)
        region = self._require_region("scope the IAM token (or set project_id)")
        return ("name", region)

    def _ensure_token(self, deadline, force=False):
        url = self.token_url()
        scope = self._token_scope()
        key = (url, self.config.domain_name, self.config.user_name, scope, _password_digest(self.config.password))
        with _TOKEN_CACHE_LOCK:
            cached = _TOKEN_CACHE.get(key)
            if force and cached is not None and (self._token is None or cached.token == self._token.token):
                del _TOKEN_CACHE[key]
                cached = None
            if not self._token_usable(cached):
                cached = self._fetch_token(url, scope, deadline)
                _TOKEN_CACHE[key] = cached
        self._token = cached
        if not self.config.project_id:
            self._learnt_project_id = cached.project_id

    def _token_usable(self, cached):
        if cached is None:
            return False
        return cached.expires_epoch is None or cached.expires_epoch - TOKEN_EXPIRY_MARGIN > self.wall_clock()

    def _fetch_token(self, url, scope, deadline):
        body = {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "domain": {"name": self.config.domain_name}, "name": self.config.user_name,
                "password": self.config.password}}},
            "scope": {"project": {scope[0]: scope[1]}},
        }}
        payload = json.dumps(body).encode("utf-8")
        display_path = TOKEN_PATH  # what the API calls it, whatever prefix auth_url carries
        try:
            response = self._send(AUTH_ENDPOINT, "POST", display_path, url, payload, None, deadline, authenticate=False)
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
        return _CachedToken(token, project.get("id"), _parse_token_expiry(token_info.get("expires_at")))

    # ---- transport and retries ---------------------------------------------------------------

    def _send(self, service, method, display_path, url, payload, extra_headers, deadline, authenticate):
        attempt = 0
        last_error = None
        while True:
            timeout = self.config.request_timeout
            if deadline is not None:
                remaining = deadline - self.clock()
                if remaining <= 0:
                    if last_error is not None:
                        raise last_error.explain("the deadline ran out after %d retries" % attempt)
                    raise WaitTimeout("%s %s %s: the deadline passed before the request could be sent"
                                      % (service, method, display_path), {"service": service, "method": method,
                                                                          "path": display_path})
                timeout = min(timeout, remaining)
            headers = self._request_headers(method, url, payload, extra_headers, authenticate)
            self._count("requests")
            retry_after = None
            try:
                response = self.session.request(method, url, headers=headers, data=payload, timeout=timeout,
                                                verify=self.config.validate_certs, allow_redirects=False)
            except TRANSPORT_ERRORS as exc:
                last_error = self._transport_error(exc, service, method, display_path)
                retryable = self.idempotent(method) or _failed_before_sending(exc)
            else:
                if 200 <= response.status_code < 300:
                    return self._success(response, service, method, display_path)
                last_error = self._http_error(response, service, method, display_path)
                if response.status_code == 429:
                    self._count("throttled")
                retryable = response.status_code == 429 or (response.status_code in RETRY_STATUSES and self.idempotent(method))
                retry_after = parse_retry_after(response.headers.get("Retry-After"), self.wall_clock)
                if isinstance(last_error, Throttled):
                    # The waiter's shared back-off honours the server's hint once our retries are spent.
                    last_error.retry_after = retry_after
            if not retryable:
                raise last_error
            if attempt >= self.config.max_retries:
                raise last_error.explain("the retry budget ran out after %d retries (max_retries=%d)"
                                         % (attempt, self.config.max_retries))
            if retry_after is not None and retry_after > RETRY_AFTER_LIMIT:
                raise last_error.explain("the server asked to retry after %.0f s, longer than the %.0f s this client waits"
                                         % (retry_after, RETRY_AFTER_LIMIT))
            delay = retry_after if retry_after is not None else backoff_delay(attempt, self.rng)
            if deadline is not None and self.clock() + delay >= deadline:
                raise last_error.explain("the deadline ran out after %d retries (the next retry was due in %.1f s)"
                                         % (attempt, delay))
            self.sleep(delay)
            self._count("retries")
            attempt += 1

    def _transport_error(self, exc, service, method, display_path):
        reason = body_excerpt(redact(str(exc), self._secrets()))
        error_msg = "%s: %s" % (type(exc).__name__, reason) if reason else type(exc).__name__
        return ApiError(status=None, error_msg=error_msg, method=method, path=display_path, service=service)

    def _http_error(self, response, service, method, display_path):
        text = response.content.decode("utf-8", "replace") if response.content else ""
        return error_from_response(response.status_code, text, response.headers, service=service, method=method,
                                   path=display_path, secrets=self._secrets())

    def _success(self, response, service, method, display_path):
        request_id = response.headers.get("X-Request-Id")
        text = response.content.decode("utf-8", "replace") if response.content else ""
        data = None
        if text.strip():
            try:
                data = json.loads(text)
            except ValueError:
                excerpt = body_excerpt(redact(text, self._secrets()))
                raise ContractError(format_api_message(service, method, display_path, response.status_code,
                                                       error_msg="response body is not JSON: %s" % excerpt,
                                                       request_id=request_id),
                                    field="body", status=response.status_code, request_id=request_id,
                                    method=method, path=display_path, service=service)
        if request_id is None and isinstance(data, dict) and isinstance(data.get("request_id"), str):
            request_id = data["request_id"]
        return ApiResponse(response.status_code, data, response.headers, request_id)
