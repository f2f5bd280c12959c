"""The benchmark's estimators (benchmarks/bench.py), on made-up runs: no timing here."""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench  # noqa: E402


def result(build: list[float], nohooks: list[float], stopped: int | None = None) -> bench.Result:
    def runs(cpus: list[float], kind: str) -> list[bench.Run]:
        return [
            bench.Run(
                wall=c * 2, cpu=c, rss_kb=1, rc=0, output="", timed_out=(kind == "build" and i == stopped)
            )
            for i, c in enumerate(cpus)
        ]

    samples = {k: bench.Sample() for k in bench.KINDS}
    samples["build"].runs = runs(build, "build")
    samples["nohooks"].runs = runs(nohooks, "nohooks")
    return bench.Result(1000, bench.counts_for(1000), samples)


def test_paired_ratios_skip_stopped_pairs():
    r = result([11.0, 9.0, 12.0], [10.0, 10.0, 10.0], stopped=1)
    assert bench.paired_ratios(r, "build", "nohooks") == [1.1, 1.2]


def test_balanced_ratios_cancel_the_order_of_a_pair():
    """Pairs alternate order; a second build 20% slower than the first, whatever it is, cancels out."""
    true, slow = 1.05, 1.2
    build = [10 * true * slow, 10 * true, 10 * true * slow, 10 * true]
    nohooks = [10.0, 10 * slow, 10.0, 10 * slow]
    r = result(build, nohooks)
    assert [round(q, 3) for q in bench.paired_ratios(r, "build", "nohooks")] == [1.26, 0.875, 1.26, 0.875]
    assert [round(q, 6) for q in bench.balanced_ratios(r)] == [true, true]


def test_balanced_ratios_leave_out_a_couple_with_a_stopped_pair_and_an_odd_last_pair():
    r = result([11.0, 9.0, 12.0, 12.0, 10.0], [10.0] * 5, stopped=1)
    assert bench.balanced_ratios(r) == [math.sqrt(1.2 * 1.2)]
    assert bench.balanced_ratios(r, "wall") == [math.sqrt(1.2 * 1.2)]


def test_table_renders_with_the_builds():
    r = result([11.0, 9.0], [10.0, 10.0])
    for k in ("check", "floor", "alone", "hugo"):
        r.samples[k].runs = [bench.Run(wall=1.0, cpu=1.0, rss_kb=1, rc=0, output="")]
    assert any("1,000" in line for line in bench.table([r]))
    assert any("1.00 (0.90–1.10, 2)" in line for line in bench.paired_lines([r]))
