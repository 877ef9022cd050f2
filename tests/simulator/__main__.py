# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CLI: ``python -m simulator --port 0 --seed 0 [--job-duration 2:8] [--failure-ratio 0] [--tls ca] [--info-file PATH]``.

Binds 127.0.0.1 only, prints one JSON line (url, endpoints, project_id, credentials) once
listening, writes the same JSON to --info-file, and runs until SIGTERM/SIGINT.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import json
import os
import signal
import sys
import threading

from .server import Simulator
from .state import ManualClock


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m simulator", description="Huawei Cloud job API simulator on 127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 = pick a free one)")
    parser.add_argument("--seed", type=int, default=0, help="seed of every random choice (ids, durations, failures)")
    parser.add_argument("--job-duration", default=None, metavar="MIN:MAX", help="job duration range in seconds (default 2:8)")
    parser.add_argument("--failure-ratio", type=float, default=None, help="share of jobs that fail (0..1, default 0)")
    parser.add_argument("--invisible-for", type=float, default=None, help="seconds a new job answers 'not found' (default 0)")
    parser.add_argument("--init-for", type=float, default=None, help="seconds an ECS/EVS/BMS job shows INIT (default 1)")
    parser.add_argument("--token-ttl", type=float, default=None, help="lifetime of IAM tokens in seconds (default 86400)")
    parser.add_argument("--latency", type=float, default=None, help="server-side delay before each answer, seconds (default 0)")
    parser.add_argument("--temporary-ak", action="store_true", help="issue a security token and require X-Security-Token with AK/SK")
    parser.add_argument("--clock-offset", type=float, default=None, metavar="SECONDS",
                        help="the cloud clock runs this far ahead (negative: behind) of this host's clock (default 0)")
    parser.add_argument("--tls", default=None, choices=("ca", "self-signed", "hostname-mismatch", "expired"),
                        help="serve HTTPS with generated certificates; the info JSON gets tls.ca_file / tls.cert_file")
    parser.add_argument("--manual-clock", action="store_true", help="freeze the job clock; move it with POST /_sim/clock/advance")
    parser.add_argument("--info-file", default=None, help="write the info JSON here once listening")
    parser.add_argument("--log", action="store_true", help="log every request to stderr")
    return parser


def write_info(path, info):
    # Write then rename, so a reader polling for the file never sees half of it.
    tmp = "%s.tmp-%d" % (path, os.getpid())
    with open(tmp, "w") as handle:
        json.dump(info, handle)
    os.replace(tmp, path)


def main(argv=None):
    args = build_parser().parse_args(argv)
    sim = Simulator(seed=args.seed, clock=ManualClock() if args.manual_clock else None, port=args.port, log=args.log, tls=args.tls)
    try:
        sim.configure(job_duration=args.job_duration, failure_ratio=args.failure_ratio, invisible_for=args.invisible_for,
                      token_ttl=args.token_ttl, latency=args.latency, temporary_ak=True if args.temporary_ak else None,
                      clock_offset=args.clock_offset, init_for=args.init_for)
    except ValueError as err:
        sys.stderr.write("simulator: %s\n" % err)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    sim.start()
    try:
        info = sim.info()
        if args.info_file:
            write_info(args.info_file, info)
        sys.stdout.write(json.dumps(info) + "\n")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
