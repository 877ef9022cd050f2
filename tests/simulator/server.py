# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP server and the ``Simulator`` facade (Python API + /_sim/ control API)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hmac
import json
import socket
import ssl
import threading
import time
import traceback
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from . import auth, bss_site, credentials, drift, extra_services, faults, gateway, resources, services
from .state import SimState

DEFAULT_PROJECT_ID = "0549b4a43100d4f32f51c01c2fe4acdb"
DEFAULT_REGION = "ap-southeast-1"
SERVICE_PREFIXES = ("geminidb", "rds", "ddm", "servicestage", "ecs", "evs", "bms", "iam", "metadata") + extra_services.SERVICES
# Handler files besides services.py, asked first (resources.py: resource GET/list/DELETE, its own prefixes;
# bss_site.py: the BSS websites).
ROUTE_FILES = (resources, bss_site)
SERVED_PREFIXES = SERVICE_PREFIXES + tuple(prefix for module in ROUTE_FILES for prefix in module.PREFIXES)
# The keys of sim.endpoints: the services the collection's `endpoints` option accepts, which rejects
# unknown keys (every prefix served, now that the catalog knows ECS/EVS/BMS; sim.all_endpoints stays).
ENDPOINT_SERVICES = ("geminidb", "rds", "ddm", "servicestage", "ecs", "evs", "bms") + extra_services.SERVICES + ("iam", "metadata")
CONTROL_PREFIX = "/_sim/"
_CREATE_JOB_KEYS = ("service", "name", "duration", "outcome", "fail_reason", "instance_id", "instance_name", "invisible_for", "order_id",
                    "job_id", "subtasks", "tasklist", "subjobs", "error_code", "top_level_reason", "entity_key")
_FAULT_KEYS = ("kind", "count", "service", "path_contains", "retry_after", "delay", "probability", "variant")
TLS_HANDSHAKE_TIMEOUT = 10.0


class _Reply(Exception):
    """Short-circuit: send this status/body (gateway errors, control API errors)."""

    def __init__(self, status, body, headers=None):
        super(_Reply, self).__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


class Simulator:
    """Huawei Cloud job APIs on 127.0.0.1. See README.md for the full contract."""

    def __init__(self, seed=0, clock=None, port=0, log=False, project_id=DEFAULT_PROJECT_ID, region=DEFAULT_REGION, tls=None):
        self.state = SimState(seed=seed, clock=clock)
        self.clock = self.state.clock
        self.faults = faults.FaultBook(seed=seed)
        self.gateway = gateway.GatewayQuota(self.state.clock.time)
        self.tls = None
        if tls is not None:
            from .tls import TlsMaterial   # imports cryptography: only when HTTPS is asked for
            self.tls = TlsMaterial(tls)
        self.tokens = auth.TokenBook()
        self.resources = resources.ResourceBook(self.state)
        self.project_id = project_id
        self.region = region
        self.log = log
        self._port = port
        self._server = None
        self._thread = None
        # Credentials come from the seeded RNG so a given seed always gives the same ones.
        self.user_id = self.state.new_hex()
        self.domain_id = self.state.new_hex()
        self._credentials = {
            "auth_token": self.state.new_token_text("MIIsim-", 48),
            "access_key": self.state.new_token_text("", 20),
            "secret_key": self.state.new_token_text("", 40),
            "security_token": None,
            "user_name": "sim-user",
            "password": "sim-Passw0rd-" + self.state.new_hex(8),
            "domain_name": "sim-domain",
            "project_id": project_id,
            "region": region,
        }
        self.tokens.add(self._credentials["auth_token"])
        # IAM projects, agency keys, ECS metadata keys (credentials.py).
        self.credential_book = credentials.CredentialBook(self.state, region, project_id, self.domain_id)

    # ---- lifecycle ---------------------------------------------------------
    def start(self):
        if self._server is not None:
            return self
        self._server = _Server(("127.0.0.1", self._port), _Handler)
        self._server.sim = self
        self._server.ssl_context = self.tls.server_context() if self.tls else None
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01},
                                        name="simulator-%d" % self._server.server_address[1], daemon=True)
        self._thread.start()
        return self

    def stop(self):
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        if self._server is None:
            raise RuntimeError("Simulator is not started: call start() or use 'with Simulator() as sim'")
        return self._server.server_address[1]

    @property
    def url(self):
        return "%s://127.0.0.1:%d" % ("https" if self.tls else "http", self.port)

    @property
    def ca_file(self):
        """PEM file a client passes as CA bundle (TLS only; the certificate itself when self-signed)."""
        return self.tls.ca_file if self.tls else None

    @property
    def cert_file(self):
        return self.tls.cert_file if self.tls else None

    def cloud_time(self):
        """The cloud's clock (epoch): the clock object plus clock_offset."""
        return self.state.now()

    @property
    def endpoints(self):
        return dict((name, "%s/%s" % (self.url, name)) for name in ENDPOINT_SERVICES)

    @property
    def all_endpoints(self):
        """Every service prefix served (the same keys as ``endpoints``; kept for callers written before)."""
        return dict((name, "%s/%s" % (self.url, name)) for name in SERVICE_PREFIXES)

    @property
    def credentials(self):
        with self.state.lock:
            return dict(self._credentials)

    def info(self):
        info = {"url": self.url, "endpoints": self.endpoints, "all_endpoints": self.all_endpoints, "project_id": self.project_id,
                "region": self.region, "credentials": self.credentials}
        if self.tls:
            info["tls"] = self.tls.info()
        return info

    # ---- Python API --------------------------------------------------------
    def create_job(self, service, name=None, duration=None, outcome=None, fail_reason=None, instance_id=None,
                   instance_name=None, invisible_for=None, order_id=None, job_id=None, subtasks=None, tasklist=None,
                   subjobs=None, error_code=None, top_level_reason=None, entity_key=None):
        if service in extra_services.SERVICES:   # their first status and CCE's sub-jobs (subjobs=N)
            return extra_services.create_job(
                self.state, service, subjobs=subjobs, name=name, duration=duration, outcome=outcome, fail_reason=fail_reason,
                instance_id=instance_id, instance_name=instance_name, invisible_for=invisible_for, order_id=order_id,
                job_id=job_id, subtasks=subtasks, tasklist=tasklist, error_code=error_code,
                top_level_reason=top_level_reason, entity_key=entity_key).id
        return self.state.create_job(service, name=name, duration=duration, outcome=outcome, fail_reason=fail_reason,
                                     instance_id=instance_id, instance_name=instance_name,
                                     invisible_for=invisible_for, order_id=order_id, job_id=job_id,
                                     subtasks=subtasks, tasklist=tasklist, subjobs=subjobs, error_code=error_code,
                                     top_level_reason=top_level_reason, entity_key=entity_key)

    def configure(self, job_duration=None, failure_ratio=None, invisible_for=None, token_ttl=None, latency=None,
                  max_clock_skew=None, planned_end_time=None, temporary_ak=None, clock_offset=None,
                  ddm_invisible_style=None, rds_async_in_tasklist=None, skew_error_code=None, init_for=None,
                  ecs_not_found_status=None, progress_profile=None):
        """Change knobs; None leaves a knob as it is. Returns the resulting configuration."""
        if temporary_ak is not None:
            with self.state.lock:
                self._credentials["security_token"] = self.state.new_token_text("sim-sts-", 64) if temporary_ak else None
        config = self.state.configure(job_duration=job_duration, failure_ratio=failure_ratio, invisible_for=invisible_for,
                                      token_ttl=token_ttl, latency=latency, max_clock_skew=max_clock_skew,
                                      planned_end_time=planned_end_time, clock_offset=clock_offset,
                                      ddm_invisible_style=ddm_invisible_style, rds_async_in_tasklist=rds_async_in_tasklist,
                                      skew_error_code=skew_error_code, init_for=init_for,
                                      ecs_not_found_status=ecs_not_found_status, progress_profile=progress_profile)
        config["temporary_ak"] = self.credentials["security_token"] is not None
        return config

    def inject_fault(self, kind, count=1, service=None, path_contains=None, retry_after=None, delay=None, probability=None,
                     variant=None):
        self.faults.add(faults.Fault(kind, count=count, service=service, path_contains=path_contains,
                                     retry_after=retry_after, delay=delay, probability=probability, variant=variant))

    def clear_faults(self):
        self.faults.clear()

    def set_quota(self, rate=None, burst=None, services=None, retry_after=None):
        """The gateway's flow control (gateway.py): ``rate`` requests/s per service, None for none."""
        return self.gateway.configure(rate=rate, burst=burst, services=services, retry_after=retry_after)

    def configure_credentials(self, sts_ttl=None, metadata_agency=None, metadata_ttl=None, metadata_token_api=None,
                              projects=None):
        """Knobs of credentials.py (agency key lifetime, the ECS's agency, the IAM projects); None leaves one as it is."""
        return self.credential_book.configure(sts_ttl=sts_ttl, metadata_agency=metadata_agency, metadata_ttl=metadata_ttl,
                                              metadata_token_api=metadata_token_api, projects=projects)

    def expire_tokens(self):
        with self.state.lock:
            self.tokens.expire_all()

    def stats(self):
        return self.state.stats_snapshot()

    def reset_stats(self):
        self.state.reset_stats()

    def received_bodies(self, service=None):
        """Bodies of the create calls (every service POST but IAM's) as the simulator got them, oldest
        first, the last 1000: [{service, method, path, template, status, job_id, body, raw, at}].
        ``body`` is the parsed JSON (None if it was not JSON), ``raw`` the text. Secrets stay in them:
        that is what a test needs to prove a password reached the cloud."""
        return self.state.received_bodies(service)

    def clear_received(self):
        self.state.clear_received()

    def job(self, job_id):
        job = self.state.get_job(job_id)
        if job is None:
            raise KeyError("no such job: %s" % job_id)
        return job.snapshot(self.state.now())

    # ---- IAM ---------------------------------------------------------------
    def issue_token(self, user, project, now):
        creds = self.credentials
        domain = user.get("domain") or {}
        good = (user.get("name") == creds["user_name"] and domain.get("name") == creds["domain_name"]
                and hmac.compare_digest(str(user.get("password", "")), creds["password"]))
        if not good:
            raise services.IamError(401, "IAM.0004", "The username or password is wrong.")
        if project.get("id", self.project_id) != self.project_id or project.get("name", self.region) != self.region:
            raise services.IamError(400, "IAM.0005", "The project in auth.scope.project does not exist: use name %s or id %s."
                                    % (self.region, self.project_id))
        token = self.state.new_token_text("MIIiam-", 96)
        with self.state.lock:
            expires = now + self.state.config["token_ttl"]
            self.tokens.add(token, expires=expires)
        domain_ref = {"id": self.domain_id, "name": creds["domain_name"]}
        body = {"token": {
            "expires_at": _iam_time(expires),
            "issued_at": _iam_time(now),
            "methods": ["password"],
            "project": {"id": self.project_id, "name": self.region, "domain": domain_ref},
            "user": {"id": self.user_id, "name": creds["user_name"], "domain": domain_ref, "password_expires_at": ""},
            "roles": [{"id": "0", "name": "op_service"}],
            "catalog": [],
        }}
        return 201, body, [], {"X-Subject-Token": token}

    # ---- request pipeline (called from the handler threads) --------------------
    def authenticate(self, handler, path, raw_query, body, now):
        headers = dict((k.lower(), v) for k, v in handler.headers.items())
        token = headers.get("x-auth-token")
        with self.state.lock:
            config = dict(self.state.config)
            creds = dict(self._credentials)
            if token:
                self.tokens.check(token, now)
                return
        if "authorization" not in headers:
            raise auth.AuthFailure("neither X-Auth-Token nor an SDK-HMAC-SHA256 Authorization header was given")
        access = auth.parse_authorization(headers["authorization"])[0]
        try:
            temporary = self.credential_book.temporary_key(access, now)
        except credentials.ExpiredKey:
            raise auth.AuthFailure("The token must be updated.", code="APIGW.0307")
        if temporary is not None:
            auth.verify_aksk(handler.command, path, raw_query, headers, body, access, temporary[0], now,
                             config["max_clock_skew"], security_token=temporary[1])
        else:
            auth.verify_aksk(handler.command, path, raw_query, headers, body, creds["access_key"], creds["secret_key"],
                             now, config["max_clock_skew"], security_token=creds["security_token"])
        header_project = headers.get("x-project-id")
        if header_project and header_project != self.project_id:
            raise _Reply(403, self._gateway_error("APIGW.0302", "X-Project-Id %s is not the project of these credentials." % header_project,
                                                  handler.request_id))

    @staticmethod
    def _gateway_error(code, message, request_id):
        return {"error_code": code, "error_msg": message, "request_id": request_id}

    def handle(self, handler):
        """Serve one service request. Returns (status, body bytes, headers) or None to drop the connection."""
        split = urlsplit(handler.path)
        path, raw_query = split.path, split.query
        parts = path.split("/", 2)
        service = parts[1] if len(parts) > 1 else ""
        rest = "/" + parts[2] if len(parts) > 2 else "/"
        body = handler.read_body()
        request_id = handler.request_id
        if service == "metadata":
            return self._serve_metadata(handler, rest)
        route = _match(service, handler.command, rest) if service in SERVED_PREFIXES else None
        route = route or credentials.match(self.credential_book, service, handler.command, rest)
        self.state.count_request("%s %s %s" % (handler.command, service or "-", route[0] if route else "<unknown>"))

        fault = self.faults.take(service, path)
        drifted = None
        if fault is not None:
            self.state.count_fault(fault.kind)
            if fault.kind == "drop":
                return None
            if fault.kind == "slow":
                time.sleep(fault.delay)   # the injected slowness is the one real sleep
            elif fault.kind == "drift":
                drifted = fault   # served below: the service's own answer, drifted
            else:
                return faults.render(fault, request_id)
        if not self.gateway.admit(service):
            return self.gateway.refusal(request_id)
        latency = self.state.config["latency"]
        if latency:
            time.sleep(latency)

        try:
            if route is None:
                raise _Reply(404, self._gateway_error("APIGW.0101", "The API does not exist or has not been published in the environment.",
                                                      request_id))
            _template, params, func = route
            now = self.state.now()
            if service != "iam" or _template in credentials.SIGNED_IAM_TEMPLATES:
                try:
                    self.authenticate(handler, path, raw_query, body, now)
                except auth.SkewFailure as failure:
                    code = self.state.config["skew_error_code"]
                    raise _Reply(401, self._gateway_error(code, failure.message(code), request_id))
                except auth.AuthFailure as failure:
                    message = failure.detail if failure.code == "APIGW.0307" else "Incorrect IAM authentication information: " + failure.detail
                    raise _Reply(401, self._gateway_error(failure.code, message, request_id))
                # Global APIs (BSS orders) have no project in their paths; IAM's calls are not the project's.
                if service != "iam" and params.get("project_id", self.project_id) != self.project_id:
                    raise _Reply(403, self._gateway_error(
                        "APIGW.0302", "The project %s in the URL is not the project of these credentials." % params.get("project_id"), request_id))
            # The route matched the raw path, so "x%2Fy" stayed one segment; ids are decoded exactly once
            # here ("a%2520b" names the job "a%20b", not "a b").
            params = dict((k, unquote(v)) for k, v in params.items())
            query = dict(parse_qsl(raw_query, keep_blank_values=True))
            req = services.Request(self, service, handler.command, rest, raw_query, query, params, body, now)
            try:
                result = func(req)
            except services.ServiceError as err:
                if handler.command == "POST" and service != "iam":
                    self._record_received(service, rest, route[0], body, err.status, None, now)
                raise _Reply(err.status, services.error_body(service, err.code, err.message))
            except services.IamError as err:
                raise _Reply(err.status, dict(err.body, request_id=request_id))
            status, payload, served = result[:3]
            if handler.command == "POST" and service != "iam":
                self._record_received(service, rest, route[0], body, status, payload.get("job_id"), now)
            extra = result[3] if len(result) > 3 else {}
            self.state.count_served(served, now)
            if drifted is not None and status == 200 and handler.command == "GET":
                payload = drift.apply(drifted.variant, payload)
            return status, json.dumps(payload).encode("utf-8"), dict(extra, **{"Content-Type": "application/json;charset=UTF-8"})
        except _Reply as reply:
            return reply.status, json.dumps(reply.body).encode("utf-8"), dict(reply.headers, **{"Content-Type": "application/json;charset=UTF-8"})

    def _serve_metadata(self, handler, rest):
        """The ECS metadata service (http://169.254.169.254 on an ECS): no gateway, no signature."""
        self.state.count_request("%s metadata %s" % (handler.command, rest))
        book = self.credential_book
        req = services.Request(self, "metadata", handler.command, rest, "", {}, {}, handler.read_body(), self.state.now())
        headers = {"Content-Type": "application/json"}
        try:
            if (handler.command, rest) == ("PUT", credentials.METADATA_TOKEN_TEMPLATE):
                return 200, book.metadata_session_token(req).encode("ascii"), {"Content-Type": "text/plain"}
            if (handler.command, rest) == ("GET", credentials.METADATA_KEYS_TEMPLATE):
                status, payload = book.metadata_keys(req, handler.headers.get("X-Metadata-Token"))
                return status, json.dumps(payload).encode("utf-8"), headers
            return 404, json.dumps({"error": "Not Found"}).encode("utf-8"), headers
        except credentials.MetadataReply as reply:
            return reply.status, json.dumps(reply.body).encode("utf-8"), headers

    def _record_received(self, service, path, template, body, status, job_id, now):
        raw = body.decode("utf-8", "replace")
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        self.state.record_received({"service": service, "method": "POST", "path": path, "template": template, "status": status,
                                    "job_id": job_id, "body": parsed, "raw": raw, "at": now})

    # ---- control API -----------------------------------------------------------
    def control(self, handler):
        split = urlsplit(handler.path)
        action = split.path[len(CONTROL_PREFIX):].strip("/")
        method = handler.command
        try:
            data = json.loads(handler.read_body().decode("utf-8") or "{}")
            if not isinstance(data, dict):
                raise ValueError("the body must be a JSON object")
            result = self._control(method, action, data, dict(parse_qsl(split.query)))
        except (ValueError, TypeError, KeyError) as err:
            return 400, {"error": str(err)}
        if result is None:
            return 404, {"error": "unknown control endpoint %s %s" % (method, split.path)}
        return 200, result

    def _control(self, method, action, data, query):
        if (method, action) == ("GET", "info"):
            return self.info()
        if (method, action) == ("GET", "stats"):
            return self.stats()
        if (method, action) == ("POST", "reset-stats"):
            self.reset_stats()
            return {"ok": True}
        if (method, action) == ("POST", "expire-tokens"):
            self.expire_tokens()
            return {"ok": True}
        if (method, action) == ("POST", "credentials"):
            return self.configure_credentials(**data)
        if (method, action) == ("GET", "credentials"):
            return dict(self.credential_book.snapshot(), issued=self.credential_book.issued())
        if (method, action) == ("POST", "configure"):
            return self.configure(**data)
        if (method, action) == ("POST", "faults"):
            self.inject_fault(**_only(data, _FAULT_KEYS))
            return {"ok": True, "faults": self.faults.pending()}
        if (method, action) == ("GET", "received"):
            return {"received": self.received_bodies(query.get("service"))}
        if (method, action) == ("DELETE", "received"):
            self.clear_received()
            return {"ok": True}
        if (method, action) == ("POST", "quota"):
            return self.set_quota(**_only(data, ("rate", "burst", "services", "retry_after")))
        if (method, action) == ("GET", "quota"):
            return self.gateway.snapshot()
        if (method, action) == ("GET", "faults"):
            return {"faults": self.faults.pending()}
        if (method, action) == ("DELETE", "faults"):
            self.clear_faults()
            return {"ok": True}
        if (method, action) == ("POST", "jobs"):
            count = int(data.pop("count", 1))
            if count < 1:
                raise ValueError("count must be >= 1")
            kwargs = _only(data, _CREATE_JOB_KEYS)
            ids = [self.create_job(**kwargs) for _unused in range(count)]
            return {"job_ids": ids, "job_id": ids[0]}
        if method == "GET" and action.startswith("jobs/"):
            return self.job(unquote(action[len("jobs/"):]))
        if (method, action) == ("POST", "clock/advance"):
            if not hasattr(self.clock, "advance"):
                raise ValueError("the job clock is real time; start with --manual-clock to advance it")
            now = self.clock.advance(float(data.get("seconds", 0)))
            return {"now": now, "cloud_now": self.state.now()}
        return None


def _match(service, method, path):
    for module in ROUTE_FILES:
        route = module.match(service, method, path)
        if route is not None:
            return route
    return services.match(service, method, path)


def _iam_time(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(epoch))


def _only(data, allowed):
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValueError("unknown field(s) %s; allowed: %s" % (", ".join(unknown), ", ".join(allowed)))
    return data


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128   # ~50 concurrent clients connect at once

    def __init__(self, *args, **kwargs):
        ThreadingHTTPServer.__init__(self, *args, **kwargs)
        self.sim = None
        self.ssl_context = None
        self._open = set()
        self._open_lock = threading.Lock()

    def finish_request(self, request, client_address):
        """Per-connection thread. With TLS the handshake happens here, not in the accept loop, so one
        client that never finishes its handshake cannot stall the others."""
        if self.ssl_context is None:
            return ThreadingHTTPServer.finish_request(self, request, client_address)
        request.settimeout(TLS_HANDSHAKE_TIMEOUT)
        try:
            conn = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError, ValueError):
            return None   # e.g. the client refused the certificate: the TLS alert was the answer
        with self._open_lock:
            self._open.discard(request)
            self._open.add(conn)
        try:
            self.RequestHandlerClass(conn, client_address, self)
        finally:
            with self._open_lock:
                self._open.discard(conn)
            try:
                conn.close()
            except OSError:
                pass
        return None

    def process_request(self, request, client_address):
        with self._open_lock:
            self._open.add(request)
        ThreadingHTTPServer.process_request(self, request, client_address)

    def shutdown_request(self, request):
        with self._open_lock:
            self._open.discard(request)
        ThreadingHTTPServer.shutdown_request(self, request)

    def close_connections(self):
        """Close idle keep-alive connections so their threads end with the server."""
        with self._open_lock:
            open_now, self._open = list(self._open), set()
        for sock in open_now:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive, like the real gateway
    server_version = "simulator"
    timeout = 120   # an idle keep-alive connection ends after this

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        # Headers and body go out in separate writes: without NODELAY, Nagle plus delayed ACKs add ~40 ms per request.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def version_string(self):
        return self.server_version

    def date_time_string(self, timestamp=None):
        # The Date header (RFC 7231 IMF-fixdate) comes from the cloud's clock, offset included.
        return formatdate(self.server.sim.state.now() if timestamp is None else timestamp, usegmt=True)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.sim.log:
            BaseHTTPRequestHandler.log_message(self, format, *args)

    def read_body(self):
        if self._body is None:
            length = int(self.headers.get("Content-Length") or 0)
            self._body = self.rfile.read(length) if length > 0 else b""
        return self._body

    def _dispatch(self):
        sim = self.server.sim
        self._body = None   # the handler object lives as long as the keep-alive connection
        self.request_id = sim.state.new_hex()
        if self.path.startswith(CONTROL_PREFIX):
            if self.client_address[0] not in ("127.0.0.1", "::1"):
                return self._send(403, json.dumps({"error": "control API is loopback only"}).encode("utf-8"), {})
            status, payload = sim.control(self)
            return self._send(status, json.dumps(payload).encode("utf-8"), {"Content-Type": "application/json"})
        try:
            answer = sim.handle(self)
        except Exception:  # pylint: disable=broad-except
            # A simulator bug must show up as a loud 500 with a traceback, not as a dropped connection.
            traceback.print_exc()
            answer = 500, json.dumps({"error_code": "SIM.500", "error_msg": "simulator bug, see its stderr"}).encode("utf-8"), {}
        if answer is None:   # injected "drop": no status line at all
            self.close_connection = True
            return None
        return self._send(*answer)

    def _send(self, status, body, headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Type" not in headers:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", self.request_id)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch
