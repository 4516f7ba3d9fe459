"""The scaling model of data-parallel pre-training (docs/distributed.md), on paper.

One synchronous step on N machines, each with a local batch of b tables:
    T_step = b * t + T_allreduce,   T_allreduce = 2 (N - 1) * alpha + 2 (N - 1) / N * 4 P / bandwidth
(ring all-reduce, Patarasuk & Yuan 2009: 2(N-1) messages of 4P/N bytes per rank; Mesa does not
overlap the all-reduce with the backward pass). Efficiency E = b t / T_step; the local batch that
reaches E is b = E / (1 - E) * T_allreduce / t, and the global batch is N b.

    python3 benchmarks/distributed/scaling_model.py --table-seconds T [--parameters P] [--efficiency 0.9]

T is one machine's compute time per table (from benchmarks/distributed/throughput.sh: 1 / tables per
second). The 10x larger model has 10 P parameters and, its cost dominated by the dense layers at
the same table sizes, 10 t per table.
"""
import argparse
import math

parser = argparse.ArgumentParser()
parser.add_argument("--parameters", type=float, default=545_674, help="P (the default tabular classifier)")
parser.add_argument("--table-seconds", type=float, required=True, help="one machine's compute seconds per table")
parser.add_argument("--efficiency", type=float, default=0.9)
parser.add_argument("--global-batch", type=int, default=8, help="the recipe's batch (tables per step)")
arguments = parser.parse_args()

links = [("10 Gbit/s (TCP, alpha 20 us)", 10e9 / 8, 20e-6), ("100 Gbit/s (RDMA, alpha 3 us)", 100e9 / 8, 3e-6)]
E = arguments.efficiency
print(f"| model | machines | link | all-reduce | E at global batch {arguments.global_batch} | local batch for E = {E:.0%} | global batch |")
print("|---|---|---|---|---|---|---|")
for name, scale in [("tabular (P = %.0f)" % arguments.parameters, 1), ("10x larger", 10)]:
    P, t = arguments.parameters * scale, arguments.table_seconds * scale
    for N in (8, 64):
        for link, bandwidth, alpha in links:
            allreduce = 2 * (N - 1) * alpha + 2 * (N - 1) / N * 4 * P / bandwidth
            # At the recipe's batch each machine holds B/N tables, or one while N > B (the others idle):
            # speed-up = B t / (max(B/N, 1) t + T_allreduce), efficiency = speed-up / N.
            B = arguments.global_batch
            efficiency = B * t / (max(B / N, 1) * t + allreduce) / N
            needed = E / (1 - E) * allreduce / t
            local = max(math.ceil(needed), 1)   # whole tables, at least one per machine
            print(f"| {name} | {N} | {link} | {allreduce * 1e3:.2f} ms | {efficiency:.2f} | {local} ({needed:.2f}) | {local * N} |")
