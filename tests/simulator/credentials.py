# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where temporary credentials come from, as the cloud serves them (api-notes "credentials" section).

- IAM ``GET /v3/projects?name={name}``: the projects of that exact name (signed like any call);
- IAM ``POST /v3.0/OS-CREDENTIAL/securitytokens`` (assume_role): temporary AK/SK + security token of a
  known agency, valid ``sts_ttl`` seconds when set (else the asked ``duration_seconds``, default 900);
- the ECS metadata service under the ``metadata`` prefix: ``PUT /meta-data/latest/api/token`` (session
  token) and ``GET /openstack/latest/securitykey``, keys valid ``metadata_ttl`` seconds, handed out
  again until half their life is gone, then new ones (the real service rotates them before expiry);
  without an agency it answers 401 "Please configure Cloud Service Agency first", like an ECS
  without one;
- the gateway's check of temporary keys: a request signed with expired ones is refused with 401
  APIGW.0307 (the gateway's "token must be updated" answer; a security token is a token).

Thread safety: every method takes the simulator's state lock.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import time

from .services import IamError

PROJECTS_TEMPLATE = "/v3/projects"
STS_TEMPLATE = "/v3.0/OS-CREDENTIAL/securitytokens"
METADATA_KEYS_TEMPLATE = "/openstack/latest/securitykey"
METADATA_TOKEN_TEMPLATE = "/meta-data/latest/api/token"
# IAM calls the gateway authenticates (the token issue itself is unauthenticated).
SIGNED_IAM_TEMPLATES = (PROJECTS_TEMPLATE, STS_TEMPLATE)
DEFAULT_STS_DURATION = 900
DEFAULT_METADATA_TTL = 3600
AGENCY_DOMAIN_NAME = "sim-other-domain"
AGENCY_NAME = "sim-agency"


def _iam_time(epoch, fraction=True):
    return time.strftime("%Y-%m-%dT%H:%M:%S" + (".000000Z" if fraction else "Z"), time.gmtime(epoch))


class CredentialBook:
    """Projects, agencies and the temporary keys issued; see the module docstring."""

    def __init__(self, state, region, project_id, domain_id):
        self.state = state
        # Derived, not drawn from the seeded RNG: the ids of everything else stay what they were.
        self.agency_domain_id = hashlib.sha256(("agency-" + domain_id).encode("ascii")).hexdigest()[:32]
        self.agencies = {(AGENCY_DOMAIN_NAME, AGENCY_NAME), (self.agency_domain_id, AGENCY_NAME)}
        self.projects = [
            {"id": project_id, "name": region, "domain_id": domain_id, "enabled": True},
            {"id": hashlib.sha256(("sub-" + project_id).encode("ascii")).hexdigest()[:32], "name": region + "_sub",
             "domain_id": domain_id, "enabled": True},
        ]
        self.sts_ttl = None
        self.metadata_agency = False
        self.metadata_ttl = DEFAULT_METADATA_TTL
        self.metadata_token_api = True
        self._temporary = {}      # access -> {"secret", "token", "expires", "source"}
        self._metadata_keys = None
        self._session_tokens = set()
        self.counts = {"sts_issued": 0, "metadata_issued": 0, "refused_expired": 0}

    # ---- knobs -------------------------------------------------------------------
    def configure(self, sts_ttl=None, metadata_agency=None, metadata_ttl=None, metadata_token_api=None, projects=None):
        with self.state.lock:
            if sts_ttl is not None:
                self.sts_ttl = float(sts_ttl) if sts_ttl else None
            if metadata_agency is not None:
                self.metadata_agency = bool(metadata_agency)
            if metadata_ttl is not None:
                self.metadata_ttl = float(metadata_ttl)
            if metadata_token_api is not None:
                self.metadata_token_api = bool(metadata_token_api)
            if projects is not None:
                self.projects = [dict(project) for project in projects]
            return self.snapshot()

    def snapshot(self):
        return {"sts_ttl": self.sts_ttl, "metadata_agency": self.metadata_agency, "metadata_ttl": self.metadata_ttl,
                "metadata_token_api": self.metadata_token_api, "projects": [dict(p) for p in self.projects],
                "agency": {"agency_name": AGENCY_NAME, "domain_name": AGENCY_DOMAIN_NAME, "domain_id": self.agency_domain_id},
                "counts": dict(self.counts)}

    def issued(self):
        """Every temporary key issued so far (tests scan outputs for them)."""
        with self.state.lock:
            return [dict(record, access=access) for access, record in self._temporary.items()]

    # ---- the gateway's side ------------------------------------------------------------
    def temporary_key(self, access, now):
        """(secret, security token) of a temporary access key, None for another key; ExpiredKey when expired."""
        with self.state.lock:
            record = self._temporary.get(access)
            if record is None:
                return None
            if now >= record["expires"]:
                self.counts["refused_expired"] += 1
                raise ExpiredKey()
            return record["secret"], record["token"]

    def _issue(self, now, ttl, source):
        access = self.state.new_token_text("", 20)
        record = {"secret": self.state.new_token_text("", 40), "token": self.state.new_token_text("sim-sts-", 96),
                  "expires": now + ttl, "source": source}
        with self.state.lock:
            self._temporary[access] = record
        return access, record

    @staticmethod
    def _credential(access, record, fraction=True):
        return {"credential": {"access": access, "secret": record["secret"], "securitytoken": record["token"],
                               "expires_at": _iam_time(record["expires"], fraction)}}

    # ---- handlers ----------------------------------------------------------------------
    def list_projects(self, req):
        name = req.query.get("name")
        with self.state.lock:
            found = [dict(project) for project in self.projects if name is None or project["name"] == name]
        return 200, {"projects": found, "links": {"self": "https://iam/v3/projects", "next": None, "previous": None}}, [], \
            {"X-IAM-Trace-Id": "trace-" + self.state.new_hex(16)}

    def issue_agency_keys(self, req):
        try:
            identity = json.loads((req.body or b"").decode("utf-8"))["auth"]["identity"]
            role = identity["assume_role"]
            if identity.get("methods") != ["assume_role"] or not role.get("agency_name"):
                raise KeyError("methods")
        except (ValueError, KeyError, TypeError):
            raise IamError(400, "IAM.0007", "The request body is invalid: expected auth.identity.methods=['assume_role'] "
                                            "and auth.identity.assume_role{agency_name, domain_name|domain_id}.")
        domain = role.get("domain_name") or role.get("domain_id")
        duration = role.get("duration_seconds", DEFAULT_STS_DURATION)
        if not isinstance(duration, int) or not 900 <= duration <= 86400:
            raise IamError(400, "IAM.0007", "duration_seconds must be an integer from 900 to 86400.")
        if (domain, role["agency_name"]) not in self.agencies:
            # IAM answers a missing agency or a missing trust like a missing permission.
            raise IamError(403, "IAM.0003", "You are not authorized to perform the requested action: no agency %s in domain %s "
                                            "trusts this account." % (role["agency_name"], domain))
        with self.state.lock:
            ttl = self.sts_ttl or duration
            self.counts["sts_issued"] += 1
        access, record = self._issue(req.now, ttl, "agency")
        return 201, self._credential(access, record, fraction=True), []

    def metadata_session_token(self, req):
        if not self.metadata_token_api:
            raise MetadataReply(404, {"error": "Not Found"})
        token = self.state.new_token_text("sim-md-", 32)
        with self.state.lock:
            self._session_tokens.add(token)
        return token

    def metadata_keys(self, req, session_token):
        with self.state.lock:
            if session_token is not None and session_token not in self._session_tokens:
                raise MetadataReply(401, {"error": "the metadata session token is invalid"})
            if not self.metadata_agency:
                raise MetadataReply(401, {"error": {"code": 401, "message": "Please configure Cloud Service Agency first"}})
            current = self._metadata_keys
            ttl = self.metadata_ttl
        if current is None or req.now >= current[1]["expires"] - ttl / 2.0:
            current = self._issue(req.now, ttl, "metadata")
            with self.state.lock:
                self._metadata_keys = current
                self.counts["metadata_issued"] += 1
        # The SDK accepts expires_at with or without fractional seconds; the metadata answer has none here.
        return 200, self._credential(current[0], current[1], fraction=False)


class ExpiredKey(Exception):
    """A temporary access key past its expires_at."""


class MetadataReply(Exception):
    def __init__(self, status, body):
        super(MetadataReply, self).__init__(status)
        self.status = status
        self.body = body


def match(book, service, method, path):
    """-> (template, params, handler) of the IAM credential calls, or None."""
    if service == "iam" and method == "GET" and path == PROJECTS_TEMPLATE:
        return PROJECTS_TEMPLATE, {}, book.list_projects
    if service == "iam" and method == "POST" and path == STS_TEMPLATE:
        return STS_TEMPLATE, {}, book.issue_agency_keys
    return None
