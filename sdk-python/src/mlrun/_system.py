"""System metrics with the standard library only: /proc on Linux for CPU and memory, `nvidia-smi` for GPUs
when it is on the PATH. Sent as OTLP metrics (Gauge data points, OTel semantic-convention names) to
`/v1/metrics`, with the run's resource attributes, so the receiver turns them into run series charted
against time (key = metric name, labels = point attributes such as `gpu.index`)."""

from __future__ import annotations

import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from typing import Any

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import InstrumentationScope, KeyValue
from opentelemetry.proto.metrics.v1.metrics_pb2 import Gauge, Metric, NumberDataPoint, ResourceMetrics, ScopeMetrics
from opentelemetry.proto.resource.v1.resource_pb2 import Resource

from . import __version__
from ._encode import any_value

# One gauge point: (metric name, value, unit, point attributes).
Sample = tuple[str, float, str, dict[str, int]]

MIB = 1024 * 1024


def _cpu_times() -> tuple[float, float] | None:
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [float(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)
    return sum(fields), idle


def _meminfo() -> dict[str, float]:
    out: dict[str, float] = {}
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                key, _, rest = line.partition(":")
                out[key] = float(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return out


def _gpus() -> list[Sample]:
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return []
    query = "--query-gpu=index,utilization.gpu,memory.used"
    try:
        text = subprocess.run([exe, query, "--format=csv,noheader,nounits"], capture_output=True, text=True, timeout=5, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    out: list[Sample] = []
    for line in text.strip().splitlines():
        try:
            index, utilization, memory = (float(p.strip()) for p in line.split(",")[:3])
        except ValueError:  # "[N/A]" on some boards
            continue
        attrs = {"gpu.index": int(index)}
        out.append(("gpu.utilization", utilization / 100.0, "1", attrs))
        out.append(("gpu.memory.usage", memory * MIB, "By", attrs))
    return out


class Sampler:
    """Call once per interval; CPU utilisations are over the time since the previous call."""

    def __init__(self) -> None:
        self._cpu = _cpu_times()
        self._proc = (time.process_time(), time.monotonic())
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
        self._cores = os.cpu_count() or 1

    def __call__(self) -> list[Sample]:
        out: list[Sample] = []
        cpu = _cpu_times()
        if cpu is not None and self._cpu is not None and cpu[0] > self._cpu[0]:
            total, idle = cpu[0] - self._cpu[0], cpu[1] - self._cpu[1]
            out.append(("system.cpu.utilization", 1.0 - idle / total, "1", {}))
        self._cpu = cpu
        now_cpu, now = time.process_time(), time.monotonic()
        if now > self._proc[1]:
            # Over every core, as the OTel process.cpu.utilization is: 0..1 for the whole machine.
            out.append(("process.cpu.utilization", (now_cpu - self._proc[0]) / (now - self._proc[1]) / self._cores, "1", {}))
        self._proc = (now_cpu, now)
        mem = _meminfo()
        if "MemTotal" in mem and "MemAvailable" in mem:
            out.append(("system.memory.usage", mem["MemTotal"] - mem["MemAvailable"], "By", {}))
            out.append(("system.memory.utilization", 1.0 - mem["MemAvailable"] / mem["MemTotal"], "1", {}))
        try:
            with open("/proc/self/statm", encoding="ascii") as f:
                out.append(("process.memory.usage", float(f.read().split()[1]) * self._page, "By", {}))
        except (OSError, ValueError, IndexError):
            pass
        out.extend(_gpus())
        return out


def encode_gauges(resource: dict[str, str], time_unix_nano: int, samples: list[Sample]) -> bytes:
    """One serialized ExportMetricsServiceRequest: a Gauge per metric name, one point per sample."""
    metrics: dict[str, Metric] = {}
    for name, value, unit, attrs in samples:
        metric = metrics.get(name)
        if metric is None:
            metric = metrics[name] = Metric(name=name, unit=unit, gauge=Gauge())
        point = NumberDataPoint(time_unix_nano=time_unix_nano, as_double=float(value))
        point.attributes.extend(KeyValue(key=k, value=any_value(v)) for k, v in attrs.items())
        metric.gauge.data_points.append(point)
    scope = ScopeMetrics(scope=InstrumentationScope(name="mlrun", version=__version__), metrics=list(metrics.values()))
    res = Resource(attributes=[KeyValue(key=k, value=any_value(v)) for k, v in resource.items()])
    request = ExportMetricsServiceRequest(resource_metrics=[ResourceMetrics(resource=res, scope_metrics=[scope])])
    return request.SerializeToString()


def gpu_names() -> list[str]:
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return []
    try:
        text = subprocess.run([exe, "--query-gpu=name", "--format=csv,noheader"], capture_output=True, text=True, timeout=5, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def host_facts() -> dict[str, Any]:
    """What `mlrun.run.start` reports as `mlrun.run.host`."""
    return {
        "hostname": socket.gethostname(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pid": os.getpid(),
        "executable": sys.executable,
        "argv": list(sys.argv),
        "gpus": gpu_names(),
        "cpu_count": os.cpu_count() or 0,
    }

