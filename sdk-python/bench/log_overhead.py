"""What `run.log()` costs the training loop.

1. The caller-thread cost of one `run.log()` of a 10-key dict: median and p99 over many calls, measured in
   bursts that the background sender can keep up with (so the numbers are of the normal path, not of the
   queue-full drop path), while the sender really encodes, compresses and writes every batch.
2. A small CPU training loop (tiny MLP, torch; and a 512-wide one) with and without `run.log()` of the loss tensor every step:
   the relative overhead, from interleaved repeats (median of each).

The run is offline (batches go to a temporary spool, as they would to the server: encode + gzip + write),
so no server is needed. Usage: python bench/log_overhead.py [--calls N] [--steps N] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import mlrun


def percentile(sorted_values: list[int], q: float) -> float:
    return float(sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))])


def bench_log_call(calls: int, burst: int) -> dict[str, float]:
    run = mlrun.init(project="bench", name="log-call", mode="offline", dir=tempfile.mkdtemp(prefix="mlrun-bench-"))
    row = {f"metric_{i}": 0.1 * i for i in range(10)}
    samples: list[int] = []
    clock = time.perf_counter_ns
    # The clock's own cost, subtracted from every sample.
    empty = [(clock(), clock()) for _ in range(10000)]
    clock_cost = statistics.median(b - a for a, b in empty)
    done = 0
    t0 = time.perf_counter()
    while done < calls:
        for _ in range(min(burst, calls - done)):
            start = clock()
            run.log(row)
            samples.append(clock() - start)
        done += burst
        run.flush(30)
    wall = time.perf_counter() - t0
    dropped = run.dropped_records
    run.finish()
    samples.sort()
    return {
        "median_us": (statistics.median(samples) - clock_cost) / 1000,
        "p99_us": (percentile(samples, 0.99) - clock_cost) / 1000,
        "mean_us": (statistics.fmean(samples) - clock_cost) / 1000,
        "records_per_s_end_to_end": calls / wall,
        "dropped": float(dropped),
    }


def bench_training(steps: int, repeats: int, hidden: int = 64, batch: int = 64) -> dict[str, float]:
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = torch.nn.Sequential(torch.nn.Linear(32, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)
    x = torch.randn(batch, 32)
    y = torch.randint(0, 10, (batch,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def loop(run: mlrun.Run | None) -> float:
        start = time.perf_counter()
        for step in range(steps):
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            if run is not None:
                run.log({"loss": loss.detach(), "lr": 1e-2, "epoch": step // 100})
        return (time.perf_counter() - start) / steps

    loop(None)  # warm-up
    run = mlrun.init(project="bench", name="training", mode="offline", dir=tempfile.mkdtemp(prefix="mlrun-bench-"))
    without: list[float] = []
    with_log: list[float] = []
    for _ in range(repeats):
        without.append(loop(None))
        with_log.append(loop(run))
    run.finish()
    base, logged = statistics.median(without), statistics.median(with_log)
    return {"step_us_without": base * 1e6, "step_us_with_log": logged * 1e6, "overhead_percent": 100 * (logged - base) / base}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--burst", type=int, default=5_000)
    parser.add_argument("--steps", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    call = bench_log_call(args.calls, args.burst)
    train = bench_training(args.steps, args.repeats)
    larger = bench_training(max(200, args.steps // 10), args.repeats, hidden=512, batch=512)
    rows = [
        ("run.log() of 10 keys, median", f"{call['median_us']:.2f} µs", "≤ 5 µs"),
        ("run.log() of 10 keys, p99", f"{call['p99_us']:.2f} µs", ""),
        ("run.log() of 10 keys, mean", f"{call['mean_us']:.2f} µs", ""),
        ("sender throughput (encode+gzip+spool)", f"{call['records_per_s_end_to_end']:,.0f} records/s", ""),
        ("records dropped", f"{call['dropped']:.0f}", "0"),
        ("tiny MLP step, no logging", f"{train['step_us_without']:.1f} µs", ""),
        ("tiny MLP step, log every step", f"{train['step_us_with_log']:.1f} µs", ""),
        ("training loop overhead (tiny MLP)", f"{train['overhead_percent']:.2f} %", "< 1 %"),
        ("MLP 512 wide, batch 512, no logging", f"{larger['step_us_without']:.1f} µs", ""),
        ("MLP 512 wide, batch 512, log every step", f"{larger['step_us_with_log']:.1f} µs", ""),
        ("training loop overhead (512 wide)", f"{larger['overhead_percent']:.2f} %", "< 1 %"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>22}  target")
    print("-" * (width + 32))
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>22}  {target}")


if __name__ == "__main__":
    main()
