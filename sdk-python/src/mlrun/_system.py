"""System metrics with the standard library only: /proc on Linux for CPU and memory, `nvidia-smi` for GPUs
when it is on the PATH. Sent as `mlrun.metrics` records (no step: charted against time) with `system/` keys.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time


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


def _gpus() -> dict[str, float]:
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return {}
    query = "--query-gpu=utilization.gpu,memory.used,memory.total,temperature.gpu"
    try:
        text = subprocess.run([exe, query, "--format=csv,noheader,nounits"], capture_output=True, text=True, timeout=5, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    out: dict[str, float] = {}
    for index, line in enumerate(text.strip().splitlines()):
        parts = [p.strip() for p in line.split(",")]
        for name, value in zip(("utilization_percent", "memory_used_mib", "memory_total_mib", "temperature_c"), parts, strict=False):
            try:
                out[f"system/gpu.{index}.{name}"] = float(value)
            except ValueError:
                continue
    return out


class Sampler:
    """Call once per interval; CPU percentages are over the time since the previous call."""

    def __init__(self) -> None:
        self._cpu = _cpu_times()
        self._proc = (time.process_time(), time.monotonic())
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def __call__(self) -> dict[str, float]:
        values: dict[str, float] = {}
        cpu = _cpu_times()
        if cpu is not None and self._cpu is not None and cpu[0] > self._cpu[0]:
            total, idle = cpu[0] - self._cpu[0], cpu[1] - self._cpu[1]
            values["system/cpu.utilization_percent"] = 100.0 * (1.0 - idle / total)
        self._cpu = cpu
        now_cpu, now = time.process_time(), time.monotonic()
        if now > self._proc[1]:
            values["system/process.cpu_percent"] = 100.0 * (now_cpu - self._proc[0]) / (now - self._proc[1])
        self._proc = (now_cpu, now)
        mem = _meminfo()
        if "MemTotal" in mem and "MemAvailable" in mem:
            values["system/memory.used_bytes"] = mem["MemTotal"] - mem["MemAvailable"]
            values["system/memory.utilization_percent"] = 100.0 * (1.0 - mem["MemAvailable"] / mem["MemTotal"])
        try:
            with open("/proc/self/statm", encoding="ascii") as f:
                values["system/process.rss_bytes"] = float(f.read().split()[1]) * self._page
        except (OSError, ValueError, IndexError):
            pass
        values.update(_gpus())
        return values


def gpu_names() -> list[str]:
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return []
    try:
        text = subprocess.run([exe, "--query-gpu=name", "--format=csv,noheader"], capture_output=True, text=True, timeout=5, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]
