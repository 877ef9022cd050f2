# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Mirrors plugins/module_utils/options.py AUTH_ARGUMENT_SPEC; keep both in step.
    DOCUMENTATION = r"""
options:
  region:
    description:
      - Huawei Cloud region, for example V(eu-west-101) or V(ap-southeast-1).
      - Used to build the default endpoints C(https://{service}.{region}.{cloud}) and, without O(project_id),
        to find the project named after the region (one IAM call per process, see O(project_id)).
      - A sub-project is given by its full name, for example V(cn-north-4_sub); its endpoints are those of
        V(cn-north-4).
      - If not set, the value of the E(HW_REGION_NAME) environment variable is used.
    type: str
  project_id:
    description:
      - Project ID the job APIs are called in.
      - With IAM password authentication it is learnt from the token when not set. With any other credential it is
        found by one IAM call (C(GET /v3/projects?name={region})), asked once per process and credential;
        no project or several projects of that name fail before any job call.
      - If not set, the value of the E(HW_PROJECT_ID) environment variable is used.
    type: str
  cloud:
    description:
      - Domain of the cloud the default endpoints are built on.
      - When neither this option nor E(HW_CLOUD) is set, V(myhuaweicloud.com) is used,
        or V(myhuaweicloud.eu) for region V(eu-west-101).
      - If not set, the value of the E(HW_CLOUD) environment variable is used.
    type: str
  auth_url:
    description:
      - IAM endpoint that issues tokens for O(user_name)/O(password) authentication.
      - Defaults to the V(iam) key of O(endpoints) when given, else C(https://iam.{region}.{cloud}).
      - If not set, the value of the E(HW_AUTH_URL) environment variable is used.
    type: str
  access_key:
    description:
      - Access key ID for AK/SK (C(SDK-HMAC-SHA256)) request signing. Needs O(secret_key). Never logged or returned.
      - Used when O(auth_token) is not set.
      - If not set, the value of the E(HW_ACCESS_KEY) environment variable is used.
    type: str
  secret_key:
    description:
      - Secret access key that goes with O(access_key). Never logged or returned.
      - If not set, the value of the E(HW_SECRET_KEY) environment variable is used.
    type: str
  security_token:
    description:
      - Security token of a temporary access key; sent as C(X-Security-Token). Never logged or returned.
      - If not set, the value of the E(HW_SECURITY_TOKEN) environment variable is used.
    type: str
  auth_token:
    description:
      - IAM token sent as C(X-Auth-Token). Takes precedence over every other credential.
      - A static token cannot be renewed; when it expires, get a new one. Never logged or returned.
      - If not set, the value of the E(HW_AUTH_TOKEN) environment variable is used.
    type: str
  user_name:
    description:
      - IAM user name for password authentication, together with O(password) and O(domain_name).
      - Used when neither O(auth_token) nor O(access_key) is set. The token is cached per process
        and renewed once when the gateway reports it expired.
      - If not set, the value of the E(HW_USER_NAME) environment variable is used.
    type: str
  password:
    description:
      - Password of O(user_name). Never logged or returned.
      - If not set, the value of the E(HW_USER_PASSWORD) environment variable is used.
    type: str
  domain_name:
    description:
      - Account (domain) name that owns O(user_name).
      - If not set, the value of the E(HW_DOMAIN_NAME) environment variable is used.
    type: str
  max_retries:
    description:
      - How many times a throttled (HTTP 429), failing (HTTP 500, 502, 503, 504) or unreachable call is retried,
        with exponential backoff and jitter. Other client errors are never retried.
      - Calls that change something are only retried on HTTP 429 or when the connection could not be opened.
      - If not set, the value of the E(HW_MAX_RETRIES) environment variable is used.
    type: int
    default: 4
  max_request_rate:
    description:
      - Requests per second this process sends at most to each service endpoint (all threads and waits of one run).
      - Unset, the rate is learnt from the API gateway's throttling (HTTP 429). Nothing is paced until the first 429;
        then the rate is cut on every refusal and regrown while answers succeed, and C(Retry-After) is honoured.
      - Set it to the quota of the API (for example V(10) for the BSS order API) to avoid refusals from the start;
        several hosts or processes sharing one quota still learn their share below it.
      - If not set, the value of the E(HW_MAX_REQUEST_RATE) environment variable is used.
    type: float
  endpoints:
    description:
      - Base URLs that replace the default endpoints, keyed by V(geminidb), V(rds), V(ddm), V(servicestage), V(ecs), V(evs),
        V(bms), V(gaussdb), V(dds), V(taurusdb), V(cce), V(ims), V(dcs), V(bss_order), V(iam) or V(metadata).
      - V(bss_order) defaults to C(https://bss.{cloud}) (one endpoint for every region). An account of the international
        website is refused there (HTTP 403 C(CBC.0150) or C(CBC.0156)); on C(myhuaweicloud.com), when V(bss_order) is
        not set, the call is then sent to C(https://bss-intl.myhuaweicloud.com), which serves the account's BSS calls for
        the rest of the process, as Terraform's provider does. A V(bss_order) that is set is never replaced, and on
        another cloud nothing is switched; set V(bss_order) to the endpoint of the account's website there.
      - TaurusDB (V(taurusdb)) defaults to its region's own host where it has one (C(gaussdbformysql) in ap-southeast-1,
        ap-southeast-2, cn-north-11, tr-west-1; C(gaussdb-mysql) in af-south-1), else C(gaussdb).
      - A base URL may carry a path prefix, for example V(http://127.0.0.1:8080/rds).
      - V(metadata) is the ECS metadata service that gives the temporary keys of the ECS's agency when no other
        credential is configured (default C(http://169.254.169.254)).
    type: dict
  request_timeout:
    description:
      - Timeout in seconds of a single HTTP request.
    type: float
    default: 30
  validate_certs:
    description:
      - Whether to verify the TLS certificates of the endpoints (and of O(auth_url)).
      - If not set, V(false) when the E(HW_INSECURE) environment variable is V(true) (Terraform's C(insecure)),
        else V(true). The option wins over the variable.
      - With V(false) anyone on the network path can impersonate the endpoints; the task warns about it.
        Prefer O(cacert_file) for a private CA.
      - A certificate that fails verification is not retried; the error names the host, the reason and the way out.
    type: bool
  cacert_file:
    description:
      - Path of a PEM file of CA certificates to verify the endpoints with, for a private CA or a self-signed
        certificate (the certificate itself). It replaces the system CA store for these requests.
      - The path is read where the task runs (the target host for the modules, the controller for the lookup and
        for M(taskgate.huaweicloud.wait_for_task)). A missing or unreadable file fails the task before any request.
      - Ignored when certificate verification is off (O(validate_certs=false) or E(HW_INSECURE)).
      - If not set, the value of the E(OS_CACERT) environment variable is used.
    type: path
  shared_config_file:
    description:
      - Path of a KooCLI configuration file (C(hcloud configure)) to take the credentials from, read where the task runs.
      - The file is only read when this option or O(profile) is set; then it defaults to C(~/.hcloud/config.json).
      - The profile's keys are used when no O(auth_token), O(access_key)/O(secret_key) or
        O(user_name)/O(password)/O(domain_name) are given (as options or variables); its non-empty region, project id,
        agency name and agency domain apply where the options and variables leave them unset.
      - KooCLI encrypts keys by default and only KooCLI can read them; such a profile fails with the advice to run
        C(hcloud configure set --cli-auth-encrypt=false).
      - If not set, the value of the E(HW_SHARED_CONFIG_FILE) environment variable is used.
    type: path
  profile:
    description:
      - Name of the profile of O(shared_config_file) to use; the file's current profile when not set.
      - A profile in V(SSO) mode gives its STS keys; one in V(ecsAgency) mode gives none (the ECS metadata does).
      - If not set, the value of the E(HW_PROFILE) environment variable is used.
    type: str
  assume_role:
    description:
      - Work with the temporary keys of an agency (of this or another account), obtained with whichever credential
        was found, like the Terraform provider's C(assume_role) block.
      - The keys are renewed before they expire, also in the middle of a long wait.
      - Each suboption falls back to its E(HW_ASSUME_ROLE_*) variable, then to the profile's agency fields.
    type: dict
    suboptions:
      agency_name:
        description:
          - Name of the agency to assume.
          - If not set, the value of the E(HW_ASSUME_ROLE_AGENCY_NAME) environment variable is used.
        type: str
      domain_name:
        description:
          - Name of the account (domain) that owns the agency. This or O(assume_role.domain_id) is required.
          - If not set, the value of the E(HW_ASSUME_ROLE_DOMAIN_NAME) environment variable is used.
        type: str
      domain_id:
        description:
          - ID of the account (domain) that owns the agency.
          - If not set, the value of the E(HW_ASSUME_ROLE_DOMAIN_ID) environment variable is used.
        type: str
      duration:
        description:
          - Lifetime in seconds of the agency keys, from 900 to 86400; IAM's default (900) when not set.
          - If not set, the value of the E(HW_ASSUME_ROLE_DURATION) environment variable is used.
        type: int
notes:
  - Credentials are used in this order - O(auth_token); else O(access_key) and O(secret_key); else O(user_name), O(password)
    and O(domain_name); else the keys of the O(profile) of O(shared_config_file) (when one of them is set); else the
    temporary keys of the ECS's agency from its metadata service. Each option wins over its environment variable.
    A partly given set (for example O(access_key) without O(secret_key)) is an error.
  - O(assume_role) then turns the credential found into the temporary keys of an agency.
  - Off an ECS the metadata service does not answer; the task then fails within seconds with a message that lists
    what was tried.
requirements:
  - requests
"""
