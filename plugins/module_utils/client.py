# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client for the Huawei Cloud job APIs: URLs, sending, retries, response decoding.

    config = ClientConfig.from_params(params)      # InvalidInput on incomplete auth (config.py)
    client = Client(config)
    resp = client.request(entry, "GET", "/v3/{project_id}/tasklist", query={"limit": 50})   # entry: catalog.ServiceEntry

Paths are raw (not percent-encoded): every segment is encoded here, once, the same way the
AK/SK signature expects. A value that must stay one segment whatever it holds (a job id with ``/``)
goes in ``path_params`` and fills the ``{name}`` segment of the path template. ``deadline`` is an absolute value of the client's ``clock``.
The auth method (auth.py) adds the credentials; the retry policy (retries.py) decides what is
retried and how long to wait; this module keeps the loop that the deadline bounds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import random
import re
import threading
import time
import traceback
import warnings

from urllib.parse import urlsplit, urlunsplit

try:
    import requests
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.auth import clear_token_cache
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import AUTH_ENDPOINT, global_service, service_host
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.config import ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ApiError,
    AuthError,
    CertificateError,
    ContractError,
    TaskGateError,
    Throttled,
    WaitTimeout,
    format_api_message,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.http_errors import (
    body_excerpt,
    error_from_response,
    exception_reason,
    redact,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.project_lookup import clear_project_cache, project_for_region
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rate_limit import MAX_IN_FLIGHT, limiter_for
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.retries import (
    TRANSPORT_ERRORS,
    RetryPolicy,
    certificate_failure,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.signer import canonical_query, url_encode
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.website import clear_website_cache, cross_website, international_base, switch_website

# Importers take these from here (config.py and auth.py hold them).
__all__ = ["ApiResponse", "Client", "ClientConfig", "HAS_REQUESTS", "REQUESTS_IMPORT_ERROR", "clear_project_cache",
           "clear_token_cache", "clear_website_cache"]

USER_AGENT = "taskgate.huaweicloud"

# OpenSSL verify codes (X509_V_ERR_*) grouped by what gets the user out of them.
_UNTRUSTED_CODES = (2, 18, 19, 20, 21)          # issuer unknown, self-signed (in chain), first cert unverifiable
_NAME_MISMATCH_CODES = (62, 64)                 # hostname / IP address mismatch
_VALIDITY_CODES = (9, 10)                       # not yet valid, expired
_INSECURE = "for a test endpoint only, validate_certs: false or HW_INSECURE=true turns verification off"


def certificate_advice(verify_code, cacert_file):
    """What to do about a refused certificate, by OpenSSL's verify code."""
    if verify_code in _NAME_MISMATCH_CODES:
        return ("the certificate is issued for other names: use an endpoint URL with a name it holds, or have it reissued "
                "for this one (cacert_file (OS_CACERT) cannot fix a name mismatch); " + _INSECURE)
    if verify_code in _VALIDITY_CODES:
        return ("the certificate is outside its validity period: renew it, or fix the clock of this host if that is "
                "what is wrong (cacert_file (OS_CACERT) cannot help with that); " + _INSECURE)
    if cacert_file:
        return ("no CA in cacert_file %s signed it (cacert_file replaces the system CA store): put the CA that issued "
                "it in that file (OS_CACERT); %s" % (cacert_file, _INSECURE))
    if verify_code in _UNTRUSTED_CODES:
        return ("trust its CA with cacert_file or OS_CACERT (a PEM file; for a self-signed certificate, the certificate "
                "itself); " + _INSECURE)
    return "give the CA bundle that verifies it with cacert_file or OS_CACERT (a PEM file); " + _INSECURE


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


def _encode_segment(segment, path_params):
    """One path segment, percent-encoded; a ``{name}`` segment with ``name`` in ``path_params`` is its value.

    The value is encoded whole, so ``/`` becomes ``%2F`` and it stays one segment; ``.`` and ``..``
    become ``%2E`` and ``%2E%2E``, which URL normalisation does not treat as dot segments.
    """
    if path_params and len(segment) > 2 and segment[0] == "{" and segment[-1] == "}" and segment[1:-1] in path_params:
        encoded = url_encode(str(path_params[segment[1:-1]]))
        return "%2E" * len(encoded) if encoded in (".", "..") else encoded
    return url_encode(segment)


def _encode_path(path, path_params=None):
    if not path.startswith("/"):
        path = "/" + path
    return "/".join(_encode_segment(segment, path_params) for segment in path.split("/"))


class ApiResponse:
    """A successful (2xx) response: ``json`` is the decoded body or None when the body was empty."""

    def __init__(self, status, json_body, headers, request_id):
        self.status = status
        self.json = json_body
        self.headers = headers
        self.request_id = request_id

    def __repr__(self):
        return "ApiResponse(status=%r, request_id=%r)" % (self.status, self.request_id)


class Client:
    """One requests.Session per Client; see the module docstring.

    ``clock``/``sleep``/``rng`` drive retries and deadlines, ``wall_clock`` (epoch seconds) the
    AK/SK date, Retry-After dates and token expiry; ``session`` replaces the requests.Session.
    ``auth`` (auth.py, chosen by the config) adds the credentials, ``retry_policy`` (retries.py)
    decides what is retried and how long to wait.
    """

    def __init__(self, config, clock=time.monotonic, sleep=time.sleep, rng=random.random, session=None, wall_clock=time.time):
        if session is None:
            if not HAS_REQUESTS:
                raise TaskGateError("the Python library requests is required: %s" % REQUESTS_IMPORT_ERROR)
            session = requests.Session()
            # As many kept-alive connections per host as requests may be in flight: requests keeps 10, and
            # every connection beyond them would be closed after its answer and opened (TLS) again.
            adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=MAX_IN_FLIGHT)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        self.config = config
        self.clock = clock
        self.sleep = sleep
        self.wall_clock = wall_clock
        self.session = session
        self.stats = {"requests": 0, "retries": 0, "throttled": 0, "auth_refreshes": 0}
        self._stats_lock = threading.Lock()
        self.retry_policy = RetryPolicy(config.max_retries, rng=rng, wall_clock=wall_clock)
        self._quieted_hosts = set()
        # Found by project_lookup when neither project_id nor the auth method gives one.
        self.region_project_id = None
        # The one place the auth method is applied; config chose it.
        self.auth = config.auth_class(config, self)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self.session.close()

    def __repr__(self):
        return "Client(%r)" % self.config

    @property
    def project_id(self):
        return self.config.project_id or self.auth.project_id or self.region_project_id

    def limiter(self, entry):
        """The process-wide pacing of the endpoint of ``entry`` (rate_limit.py), capped by max_request_rate."""
        return limiter_for(self.endpoint(entry), self.clock, self.config.max_request_rate)

    def _count(self, name):
        with self._stats_lock:
            self.stats[name] += 1

    def count_request(self):
        """Count a request sent outside ``send`` (the ECS metadata calls)."""
        self._count("requests")

    def _secrets(self):
        return self.config.secret_values() + self.auth.secret_values()

    def endpoint(self, entry):
        """Base URL of a resolved catalog entry (``catalog.ServiceEntry``, or ``catalog.AUTH_ENTRY``): its
        own endpoint (a declared API's), else endpoints[name] if given, else https://{host}.{region}.{cloud}."""
        own = entry.get("endpoint")
        if own:
            return own
        # A resource of a built-in service (resource_catalog.py) is served at its service's endpoints key.
        key = entry.endpoint_key
        if key in self.config.endpoints:
            return self.config.endpoints[key]
        cloud = self.config.resolved_cloud()
        # An account known to be on the international website (BSS) is served by that website's host.
        intl = international_base(entry, cloud, self.auth.cache_identity())
        if intl:
            return intl
        # A sub-project's region (cn-north-4_sub) builds the hosts of its region (config.host_region).
        region = None if global_service(entry) else self.config.host_region(
            "build the %s endpoint (or set %s)" % (entry.name, entry.endpoint_option))
        return "https://%s" % service_host(entry, region, cloud)

    # ---- public call -------------------------------------------------------------------------

    def request(self, entry, method, path, query=None, body=None, deadline=None, headers=None, path_params=None):
        """Send one API call to the service of ``entry`` (a resolved ``catalog.ServiceEntry``) with auth and
        retries; returns ApiResponse or raises a TaskGateError.

        ``path_params`` fills the segments of ``path`` that are exactly ``{name}`` (each value encoded as one
        segment); errors show ``path`` as given, the template.
        """
        method = method.upper()
        base = self.endpoint(entry)
        self.auth.refresh(deadline)
        full_path = self._fill_project(path, deadline)
        url = self._url(base, full_path, query, path_params)
        payload = None if body is None else json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8")
        refreshed = False
        while True:
            try:
                return self.send(entry, method, path, url, payload, headers, deadline)
            except ApiError as err:
                other = self._other_website(entry, base, err)
                if other is not None:
                    base = other
                    url = self._url(base, full_path, query, path_params)
                    continue
                if not isinstance(err, AuthError):
                    raise
                if err.token_expired and self.auth.renewable and not refreshed:
                    refreshed = True
                    self._count("auth_refreshes")
                    self.auth.refresh(deadline, force=True)
                    continue
                raise self.auth.explain(err, refreshed)

    def _other_website(self, entry, base, err):
        """The international website's base URL to send a call again to, after the account was refused on
        the default host (website.py; the refused call was not carried out, so sending it again is safe);
        None otherwise, with a hint when the refusal stays."""
        if not (entry.get("endpoint") or entry.endpoint_key in self.config.endpoints):
            other = switch_website(entry, self.config.resolved_cloud(), self.auth.cache_identity(), base, err)
            if other is not None:
                return other
        if cross_website(entry, err):
            site = entry["intl_site"]
            err.explain("the account belongs to another Huawei Cloud website than %s: set %s to that website's "
                        "endpoint (https://%s.%s for an international account)" % (base, entry.endpoint_option, site["host"], site["cloud"]))
        return None

    def _fill_project(self, path, deadline=None):
        if "{project_id}" not in path:
            return path
        if not self.project_id:
            self.region_project_id = project_for_region(self, deadline)
        return path.replace("{project_id}", self.project_id)

    @staticmethod
    def _url(base, path, query, path_params=None):
        parts = urlsplit(base)
        full_path = parts.path.rstrip("/") + _encode_path(path, path_params)
        return urlunsplit((parts.scheme, parts.netloc, full_path, canonical_query(_query_pairs(query)), ""))

    def _request_headers(self, method, url, payload, extra, authenticate, auth=None):
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if payload is not None:
            headers["Content-Type"] = "application/json;charset=UTF-8"
        headers.update(extra or {})
        return (auth or self.auth).headers(method, url, headers, payload) if authenticate else headers

    # ---- transport and retries ---------------------------------------------------------------

    def send(self, entry, method, display_path, url, payload=None, extra_headers=None, deadline=None, authenticate=True,
             auth=None):
        """Send a built request until it succeeds, the retry policy gives up or the deadline nears.

        ``entry`` names the service in errors (its ``name``); ``display_path`` (the path template) is all errors
        show of the request. ``authenticate=False`` sends it without credentials (the IAM token request itself);
        ``auth`` signs it with another auth method than the client's (the base credential that asks IAM for
        agency keys).
        """
        service = entry.name
        policy = self.retry_policy
        # IAM calls are not paced (the token, the region's project, agency keys): they go to IAM, not to the
        # job API whose quota the limiter learns, and each is made once per credential and process (cached) or
        # once per key lifetime, so pacing them would only queue the first job call behind them. The ECS
        # metadata calls do not come through here at all (temporary_keys.MetadataAuth, never retried).
        limiter = self.limiter(entry) if authenticate and entry.name != AUTH_ENDPOINT else None
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
            ticket = self._paced(limiter, deadline, last_error, attempt, service, method, display_path)
            headers = self._request_headers(method, url, payload, extra_headers, authenticate, auth)
            self._count("requests")
            retry_after = None
            if not self.config.validate_certs:
                self._quiet_insecure_warning(url)
            try:
                response = self.session.request(method, url, headers=headers, data=payload, timeout=timeout,
                                                verify=self.config.verify, allow_redirects=False)
            except TRANSPORT_ERRORS as exc:
                last_error = self._transport_error(exc, service, method, display_path, url)
                retryable = policy.may_retry_failure(method, exc)
            else:
                retry_after = policy.retry_after(response.headers) if response.status_code == 429 else None
                if ticket is not None:
                    if response.status_code == 429:
                        ticket.limiter.throttled(ticket, retry_after)
                    else:
                        ticket.limiter.answered(ticket)
                if 200 <= response.status_code < 300:
                    return self._success(response, service, method, display_path)
                last_error = self._http_error(response, service, method, display_path)
                if response.status_code == 429:
                    self._count("throttled")
                retryable = policy.may_retry_status(method, response.status_code)
                retry_after = policy.retry_after(response.headers)
                if isinstance(last_error, Throttled):
                    # The waiter's shared back-off honours the server's hint once our retries are spent.
                    last_error.retry_after = retry_after
            if not retryable:
                raise last_error
            refusal = policy.refusal(attempt, retry_after)
            if refusal:
                raise last_error.explain(refusal)
            delay = policy.delay(attempt, retry_after)
            if deadline is not None and self.clock() + delay >= deadline:
                raise last_error.explain("the deadline ran out after %d retries (the next retry was due in %.1f s)"
                                         % (attempt, delay))
            self.sleep(delay)
            self._count("retries")
            attempt += 1

    def _paced(self, limiter, deadline, last_error, attempt, service, method, display_path):
        """Wait for the limiter's permission to send; the ticket (None unpaced). A wait that would pass
        the deadline is not started: the request is reported unsent (WaitTimeout) or the last error raised."""
        if limiter is None:
            return None
        ticket = limiter.acquire()
        ticket.limiter = limiter
        if ticket.wait > 0:
            if deadline is not None and self.clock() + ticket.wait >= deadline:
                if last_error is not None:
                    raise last_error.explain("the deadline ran out after %d retries (the request rate allowed the "
                                             "next one in %.1f s)" % (attempt, ticket.wait))
                raise WaitTimeout("%s %s %s: the deadline passed before the request rate allowed sending it"
                                  % (service, method, display_path), {"service": service, "method": method,
                                                                      "path": display_path, "unsent": True})
            self.sleep(ticket.wait)
        return ticket

    def _quiet_insecure_warning(self, url):
        """urllib3 warns on every unverified request; config.warnings already says it once."""
        host = urlsplit(url).hostname
        with self._stats_lock:   # fetch_many's threads may reach a host together
            if not host or host in self._quieted_hosts:
                return
            self._quieted_hosts.add(host)
            warnings.filterwarnings("ignore", message=r"Unverified HTTPS request is being made to host '%s'" % re.escape(host))

    def _transport_error(self, exc, service, method, display_path, url):
        """An ApiError without status whose message keeps the innermost reason whole (never urllib3's
        wrapper text); a refused certificate is a CertificateError that says what to do."""
        host = urlsplit(url).netloc
        cert = certificate_failure(exc)
        if cert is not None:
            reason = redact(exception_reason(cert), self._secrets())
            reason = (getattr(cert, "verify_message", None) or reason).rstrip(".")
            error_msg = "TLS certificate of %s rejected: %s" % (host, reason)
            message = "%s; not retried (a certificate problem does not heal by itself): %s" % (
                format_api_message(service, method, display_path, None, error_msg=error_msg),
                certificate_advice(getattr(cert, "verify_code", None), self.config.cacert_file))
            return CertificateError(message, host=host, reason=reason, error_msg=error_msg, method=method,
                                    path=display_path, service=service)
        reason = redact(exception_reason(exc), self._secrets())
        error_msg = "%s talking to %s: %s" % (type(exc).__name__, host, reason)
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
