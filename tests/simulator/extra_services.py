# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The third wave's job APIs (api-notes.md, "Added for the third wave: resources, deletions, more job
APIs, orders, busy answers"): GaussDB, DDS and TaurusDB (``/v3/{project_id}/jobs?id=``), CCE, IMS,
DCS, BSS prepaid orders, and the "another operation is in progress" answers of writes.

Registered with the job records (``state.register_service``) and the router
(``services.register_routes``) on import; the server imports this module.

Where the notes are silent the simulator says so and picks one plausible answer:
- the error code of an unknown job id on the /jobs?id= family, DCS and BSS (a 404 with a service code);
- which DCS call answers a job id (here: the create, so that tests and the bench have DCS jobs);
- which HTTP status comes with a busy code (GaussDB/TaurusDB 409, DDS/RDS 400: the first status of
  each service's list in the notes).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from . import services, state
from .services import DB_STATUS, ServiceError, cas_time, db_time

DB_FAMILY = ("gaussdb", "dds", "taurusdb")
SERVICES = DB_FAMILY + ("cce", "ims", "dcs", "bss_order")

# Progress key of the /jobs?id= family (api-notes.md).
PROGRESS_KEY = {"gaussdb": "progress", "dds": "progress", "taurusdb": "process"}
# Busy answer of a write on an instance that runs a job: (HTTP status, code).
BUSY_ANSWER = {"gaussdb": (409, "DBS.200019"), "taurusdb": (409, "DBS.200019"), "dds": (400, "DBS.200019"),
               "rds": (400, "DBS.200019"), "dcs": (400, "DCS.4026")}
BUSY_MESSAGE = "Another operation is being performed on the DB instance or the DB instance is faulty."

CCE_PHASE = {"running": "Running", "succeeded": "Success", "failed": "Failed"}
CCE_SUBJOB_TYPES = {"CreateCluster": ("CreateMaster", "InstallAddon"), "CreateNode": ("CreateNodeVM",)}
ECS_STATUS = {"running": "RUNNING", "succeeded": "SUCCESS", "failed": "FAIL"}

# BSS order status (api-notes.md): 6 pending payment while the job "initializes", 3 processing while
# it runs, then 5 completed, or 4 cancelled when delivery failed.
ORDER_PENDING_PAYMENT, ORDER_PROCESSING, ORDER_COMPLETED, ORDER_CANCELLED = 6, 3, 5, 4


def _register():
    register = state.register_service
    register("gaussdb", "CreateGaussDBInstance", "Insufficient resources in the AZ",
             {"running": "BUILD", "succeeded": "ACTIVE", "failed": "FAILED"}, "gauss-", "in14")
    register("dds", "CreateMongoDB", "Insufficient resources in the AZ",
             {"running": "creating", "succeeded": "normal", "failed": "createfail"}, "dds-", "in02")
    register("taurusdb", "CreateInstance", "Insufficient resources in the AZ",
             {"running": "BUILD", "succeeded": "ACTIVE", "failed": "FAILED"}, "taurus-", "in07")
    register("cce", "CreateCluster", "Failed to create the master node: insufficient ECS quota",
             {"running": "Creating", "succeeded": "Available", "failed": "Error"}, "cce-")
    register("ims", "createImageByInstance", "The image file of the server could not be exported.",
             {"running": "saving", "succeeded": "active", "failed": "killed"}, "image-")
    register("dcs", "CreateInstance", "Insufficient resources for the instance flavor",
             {"running": "CREATING", "succeeded": "RUNNING", "failed": "CREATEFAILED"}, "dcs-")
    register("bss_order", "prepaid", "The order was cancelled: the resources could not be delivered",
             {"running": "pending", "succeeded": "completed", "failed": "cancelled"}, "order-",
             # Seconds a completed order still lists no resources (api-notes.md: "empty for a while").
             config={"order_resources_after": 2.0})


def create_job(sim_state, service, subjobs=None, **kwargs):
    """``SimState.create_job`` for these services, with their extras set under the lock.

    ``subjobs``: CCE sub-jobs (default: the job type's own list). Jobs whose API has a first
    (pending) status show it for the configured ``init_for`` (TaurusDB Pending, CCE Initializing, IMS and
    DCS INIT, an order's pending payment).
    """
    job = sim_state.get_job(sim_state.create_job(service, **kwargs))
    with sim_state.lock:
        if service in ("taurusdb", "cce", "ims", "dcs", "bss_order"):
            job.init_for = sim_state.config["init_for"]
        if service == "cce":
            kinds = CCE_SUBJOB_TYPES.get(job.name, ("Run" + job.name,))
            count = subjobs or len(kinds)
            job.subtasks = [kinds[min(position, len(kinds) - 1)] for position in range(count)]
            job.subtask_ids = [sim_state.new_uuid() for _unused in range(count)]
            job.entity_ids = [job.instance_id] * count if job.name == "CreateCluster" else [
                sim_state.new_uuid() for _unused in range(count)]
    return job


def _visible(req, service, job_id):
    job = req.state.get_job(job_id) if job_id else None
    if job is None or job.service != service or not job.visible(req.now):
        raise ServiceError(404, services.NOT_FOUND_ERROR[service], "The job %s does not exist." % job_id)
    return job


def _phase(job, now):
    """running | succeeded | failed, with "initializing" for the first status of the job's API."""
    if job.initializing(now):
        return "initializing"
    return job.phase(now)


def _running_job(req, instance_id):
    """A job of the service's ``instance_id`` that still runs at ``now`` (the instance is busy), else None."""
    with req.state.lock:
        jobs = list(req.state.jobs.values())
    return next((job for job in jobs if job.service == req.service and job.instance_id == instance_id
                 and job.phase(req.now) == "running"), None)


# ---- GaussDB, DDS, TaurusDB: GET /v3/{project_id}/jobs?id= -------------------------------------------
def db_show_job(req):
    job_id = req.text("id")
    if job_id is None:
        raise req.bad("Invalid parameter id: it is mandatory.")
    job = _visible(req, req.service, job_id)
    phase = _phase(job, req.now)
    if phase == "initializing":
        status = "Pending" if req.service == "taurusdb" else "Running"
    else:
        status = DB_STATUS[phase]
    running = phase in ("initializing", "running")
    view = {
        "id": job.id,
        "name": job.name,
        "status": status,
        "created": db_time(job.created),
        PROGRESS_KEY[req.service]: "%d%%" % job.percent(req.now) if running else "",
        "instance": {"id": job.instance_id, "name": job.instance_name},
        "fail_reason": job.fail_reason if phase == "failed" else "",
    }
    if not running:
        view["ended"] = db_time(job.ends_at)
    return 200, {"job": view}, [job]


def _charge_mode(data):
    charge = data.get("charge_info") or data.get("chargeInfo") or {}
    mode = charge.get("charge_mode") or charge.get("chargeMode") if isinstance(charge, dict) else None
    return str(mode).lower() if mode else "postpaid"


def _name(req, data):
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise req.bad("Invalid parameter name: it is mandatory and must be a non-empty string.")
    return name


def _prepaid_order(req, job):
    """The BSS order of a prepaid create: pending payment, processing, then completed with ``job``'s instance."""
    # The order is done once paid and the resource is handed over (half the job's time here): the
    # instance's own job may still run, so a gate goes on from the order to the job.
    order = create_job(req.state, "bss_order", instance_id=job.instance_id, instance_name=job.instance_name,
                       duration=job.duration / 2, invisible_for=0.0, job_id="CS" + req.state.new_hex(14).upper())
    with req.state.lock:
        job.order_id = order.id
    return order


def db_create(req):
    """POST /v3/{project_id}/instances: a job (pay-per-use) or an order (charge_info.charge_mode prePaid)."""
    data = req.json_body()
    job = create_job(req.state, req.service, instance_name=_name(req, data))
    instance = {"id": job.instance_id, "name": job.instance_name}
    if _charge_mode(data) == "prepaid":
        return 202, {"instance": instance, "order_id": _prepaid_order(req, job).id}, []
    if req.service == "dds":
        return 202, dict(instance, job_id=job.id), []   # DDS answers the instance's fields at the top
    return 202, {"instance": instance, "job_id": job.id}, []


def rds_create_or_order(req):
    """RDS's create: a prepaid one answers ``order_id`` (its job carries the order id in /tasklist)."""
    data = req.json_body()
    if _charge_mode(data) != "prepaid":
        return services.rds_create(req)
    job = create_job(req.state, "rds", instance_name=_name(req, data))
    return 202, {"instance": {"id": job.instance_id, "name": job.instance_name, "status": "BUILD"},
                 "order_id": _prepaid_order(req, job).id}, []


def instance_action(req):
    """A write on an instance (restart): busy while a job of the instance runs, else a new job."""
    instance_id = req.params["instance_id"]
    known = req.state.instances.get(instance_id)
    if known is None or known["service"] != req.service:
        raise ServiceError(404, services.NOT_FOUND_ERROR.get(req.service, "DBS.200823"),
                           "The DB instance %s does not exist." % instance_id)
    if _running_job(req, instance_id) is not None:
        status, code = BUSY_ANSWER[req.service]
        raise ServiceError(status, code, BUSY_MESSAGE)
    make = create_job if req.service in SERVICES else (lambda st, service, **kw: st.get_job(st.create_job(service, **kw)))
    job = make(req.state, req.service, name="RestartInstance", instance_id=instance_id)
    return 202, {"job_id": job.id}, []


# ---- CCE ------------------------------------------------------------------------------------------------
def _cce_subjob(job, position, phase, now):
    count = len(job.subtask_ids)
    ends = job.run_start + (job.ends_at - job.run_start) * (position + 1) / count
    if phase == "initializing":
        sub_phase = "Initializing"
    elif now < ends and phase == "running":
        sub_phase = "Running"
    elif phase == "failed" and position == count - 1:
        sub_phase = "Failed"
    else:
        sub_phase = "Success"
    return {
        "kind": "Job", "apiVersion": "v3",
        "metadata": {"uid": job.subtask_ids[position], "creationTimestamp": cas_time(job.created),
                     "updateTimestamp": cas_time(min(now, ends))},
        "spec": {"type": job.subtasks[position], "clusterUID": job.instance_id if job.name == "CreateCluster" else job.order_id,
                 "resourceID": job.entity_ids[position], "resourceName": job.instance_name, "ownerJob": job.id},
        "status": {"phase": sub_phase, "reason": job.fail_reason if sub_phase == "Failed" else "", "message": ""},
    }


def cce_show_job(req):
    job = _visible(req, "cce", req.params["job_id"])
    phase = _phase(job, req.now)
    cluster = job.instance_id if job.name == "CreateCluster" else job.order_id
    body = {
        "kind": "Job", "apiVersion": "v3",
        "metadata": {"uid": job.id, "creationTimestamp": cas_time(job.created),
                     "updateTimestamp": cas_time(min(req.now, job.ends_at))},
        "spec": {
            "type": job.name, "clusterUID": cluster, "resourceID": job.instance_id, "resourceName": job.instance_name,
            "subJobs": [_cce_subjob(job, position, phase, req.now) for position in range(len(job.subtask_ids))],
        },
        "status": {"phase": "Initializing" if phase == "initializing" else CCE_PHASE[phase],
                   "reason": job.fail_reason if phase == "failed" else "",
                   "message": "sub-job %s failed" % job.subtasks[-1] if phase == "failed" else ""},
    }
    return 200, body, [job]


def cce_create_cluster(req):
    data = req.json_body()
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    job = create_job(req.state, "cce", name="CreateCluster", instance_name=_name(req, metadata))
    return 201, {"kind": "Cluster", "apiVersion": "v3", "metadata": {"uid": job.instance_id, "name": job.instance_name},
                 "spec": data.get("spec") or {}, "status": {"phase": "Creating", "jobID": job.id}}, []


def cce_create_nodes(req):
    data = req.json_body()
    spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
    count = spec.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 50:
        raise req.bad("Invalid parameter spec.count=%r: must be an integer from 1 to 50." % (count,))
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    # order_id holds the cluster of a node job (the Job record has no field of its own for it).
    job = create_job(req.state, "cce", name="CreateNode", subjobs=count, instance_name=metadata.get("name") or "node",
                     order_id=req.params["cluster_id"])
    return 201, {"kind": "Node", "apiVersion": "v3", "metadata": {"name": job.instance_name},
                 "spec": spec, "status": {"jobID": job.id}}, []


# ---- IMS and DCS ------------------------------------------------------------------------------------------
def ims_show_job(req):
    job = _visible(req, "ims", req.params["job_id"])
    phase = _phase(job, req.now)
    failed = phase == "failed"
    entities = {"image_id": job.instance_id, "image_name": job.instance_name}
    if phase in ("initializing", "running"):
        entities["process_percent"] = float(job.percent(req.now))
    return 200, {
        "status": "INIT" if phase == "initializing" else ECS_STATUS[phase],
        "entities": entities,
        "job_id": job.id,
        "job_type": job.name,
        "begin_time": cas_time(job.created),
        "end_time": cas_time(job.ends_at) if phase in ("succeeded", "failed") else "",
        "error_code": "IMG.0010" if failed else None,
        "fail_reason": job.fail_reason if failed else None,
    }, [job]


def ims_create(req):
    data = req.json_body()
    return 200, {"job_id": create_job(req.state, "ims", instance_name=_name(req, data)).id}, []


def dcs_show_job(req):
    job = _visible(req, "dcs", req.params["job_id"])
    phase = _phase(job, req.now)
    return 200, {
        "job_id": job.id,
        "job_type": job.name,
        "status": "INIT" if phase == "initializing" else ECS_STATUS[phase],
        "begin_time": cas_time(job.created),
        "end_time": cas_time(job.ends_at) if phase in ("succeeded", "failed") else "",
        "fail_reason": job.fail_reason if phase == "failed" else "",
    }, [job]


def dcs_create(req):
    data = req.json_body()
    job = create_job(req.state, "dcs", instance_name=_name(req, data))
    body = {"instances": [{"instance_id": job.instance_id, "instance_name": job.instance_name}]}
    if _charge_mode(data) == "prepaid":
        body["order_id"] = _prepaid_order(req, job).id
    else:
        body["job_id"] = job.id
    return 200, body, []


# ---- BSS orders -------------------------------------------------------------------------------------------
def _order_status(order, now):
    phase = _phase(order, now)
    if phase == "initializing":
        return ORDER_PENDING_PAYMENT
    return {"running": ORDER_PROCESSING, "succeeded": ORDER_COMPLETED, "failed": ORDER_CANCELLED}[phase]


def order_details(req):
    order = _visible(req, "bss_order", req.params["order_id"])
    status = _order_status(order, req.now)
    info = {"order_id": order.id, "order_type": 1, "status": status, "create_time": cas_time(order.created),
            "payment_time": cas_time(order.run_start) if status != ORDER_PENDING_PAYMENT else None}
    items = [{"order_line_item_id": order.id + "-1", "service_type_code": "hws.service.type.rds",
              "product_id": "00301-01", "period_type": 2, "period_num": 1, "subscription_num": 1}]
    return 200, {"total_count": 1, "order_info": info, "order_line_items": items}, [order]


def order_resources(req):
    data = req.json_body()
    order_id = data.get("order_id")
    if not isinstance(order_id, str) or not order_id:
        raise req.bad("Invalid parameter order_id: it is mandatory.")
    order = req.state.get_job(order_id)
    listed = (order is not None and order.service == "bss_order" and order.phase(req.now) == "succeeded"
              and req.now >= order.ends_at + req.state.config["order_resources_after"])
    data_items = [{"resource_id": order.instance_id, "resource_type_code": "hws.resource.type.rds.vm", "status": 2,
                   "is_main_resource": 1}] if listed else []
    return 200, {"total_count": len(data_items), "data": data_items}, ([order] if listed else [])


def _bss_error(code, message):
    return {"error_code": code, "error_msg": message}


ROUTES = (
    ("rds", "POST", "/v3/{project_id}/instances", rds_create_or_order),
    ("rds", "POST", "/v3/{project_id}/instances/{instance_id}/action", instance_action),
    ("cce", "GET", "/api/v3/projects/{project_id}/jobs/{job_id}", cce_show_job),
    ("cce", "POST", "/api/v3/projects/{project_id}/clusters", cce_create_cluster),
    ("cce", "POST", "/api/v3/projects/{project_id}/clusters/{cluster_id}/nodes", cce_create_nodes),
    ("ims", "GET", "/v1/{project_id}/jobs/{job_id}", ims_show_job),
    ("ims", "POST", "/v2/cloudimages/action", ims_create),
    ("dcs", "GET", "/v2/{project_id}/jobs/{job_id}", dcs_show_job),
    ("dcs", "POST", "/v2/{project_id}/instances", dcs_create),
    ("dcs", "POST", "/v2/{project_id}/instances/{instance_id}/restart", instance_action),
    ("bss_order", "GET", "/v2/orders/customer-orders/details/{order_id}", order_details),
    ("bss_order", "POST", "/v2/orders/suscriptions/resources/query", order_resources),   # the typo is the API's
) + tuple(
    route for service in DB_FAMILY for route in (
        (service, "GET", "/v3/{project_id}/jobs", db_show_job),
        (service, "POST", "/v3/{project_id}/instances", db_create),
        (service, "POST", "/v3/{project_id}/instances/{instance_id}/restart", instance_action),
    )
)

_register()
services.register_routes(
    ROUTES,
    param_errors={"gaussdb": "DBS.200001", "dds": "DBS.200001", "taurusdb": "DBS.200001", "cce": "CCE.01400001",
                  "ims": "IMG.0001", "dcs": "DCS.4001", "bss_order": "CBC.0100"},
    not_found_errors={"gaussdb": "DBS.280343", "dds": "DBS.280343", "taurusdb": "DBS.280343", "cce": "CCE.01404001",
                      "ims": "Common.0011", "dcs": "DCS.4800", "bss_order": "CBC.0101"},
    nested_errors=("ims",),
    # CCE answers like Kubernetes, with its own code next to the HTTP one.
    error_bodies={"cce": lambda code, message: {"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": message,
                                                "code": 404 if code.endswith("404001") else 400, "errorCode": code,
                                                "errorMessage": message}},
)
