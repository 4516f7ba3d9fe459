#!/usr/bin/env python3
"""pycma's IPOP-CMA-ES on the BBOB suite with the protocol of `mesa benchmark-bbob`.

    pip install cma coco-experiment
    python3 benchmarks/bbob/pycma_reference.py --output runs/bbob/pycma-runs.csv \
        --dimensions 5,20 --instances 1-5 --budget-multiplier 10000

Same problems (cocoex), same budget (multiplier x dimension evaluations), same 51 targets
10^2 ... 10^-8 on f - f_opt, same start (mean uniform in [-4, 4]^d, sigma0 = 2) and the same
restart rule as Mesa's `cmaes` method: a new run with twice the population whenever pycma's own
termination criteria (es.stop()) fire. The run stops at the budget or at the last target.
Writes the runs CSV that `mesa benchmark-bbob --include` reads; overhead_seconds is the time
spent inside pycma's ask and tell (function evaluations excluded).
"""
import argparse
import os
import tempfile
import time

import numpy as np
import cma
import cocoex

TARGETS = [10 ** (2 - 0.2 * k) for k in range(51)]
HEADER = "method,function,dimension,instance,evaluations,best_delta,seconds,overhead_seconds,generations,hits"


def numbers(text):
    out = []
    for part in text.split(","):
        bounds = [int(v) for v in part.split("-")]
        out += list(range(bounds[0], bounds[-1] + 1))
    return out


def optimal_value(problem):
    """f_opt = f(x_opt); cocoex writes x_opt to ._bbob_problem_best_parameter.txt in the current folder."""
    problem._best_parameter("print")
    with open("._bbob_problem_best_parameter.txt") as handle:
        xopt = np.array([float(v) for v in handle.read().split()])
    return problem(xopt)


def run(problem, fopt, budget, seed):
    d = problem.dimension
    rng = np.random.RandomState(seed)
    hits = [None] * len(TARGETS)
    state = {"used": 0, "best": np.inf, "reached": 0}
    overhead = 0.0
    generations = 0
    start = time.perf_counter()
    popsize = None
    while state["used"] < budget and state["reached"] < len(TARGETS):
        options = {"verbose": -9, "verb_disp": 0, "verb_log": 0, "seed": int(rng.randint(1, 2**31 - 1))}
        if popsize is not None:
            options["popsize"] = popsize
        es = cma.CMAEvolutionStrategy(rng.uniform(-4, 4, d), 2, options)
        popsize = es.popsize
        while not es.stop() and state["used"] < budget and state["reached"] < len(TARGETS):
            t0 = time.perf_counter()
            points = es.ask()
            overhead += time.perf_counter() - t0
            values = []
            for x in points:
                if state["used"] >= budget or state["reached"] == len(TARGETS):
                    values.append(np.inf)
                    continue
                value = problem(x)
                values.append(value)
                state["used"] += 1
                delta = value - fopt
                if delta < state["best"]:
                    state["best"] = delta
                    while state["reached"] < len(TARGETS) and delta <= TARGETS[state["reached"]]:
                        hits[state["reached"]] = state["used"]
                        state["reached"] += 1
            t0 = time.perf_counter()
            es.tell(points, values)
            overhead += time.perf_counter() - t0
            generations += 1
        popsize *= 2
    seconds = time.perf_counter() - start
    return state, hits, seconds, overhead, generations


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", default="runs/bbob/pycma-runs.csv")
    parser.add_argument("--functions", default="1-24")
    parser.add_argument("--dimensions", default="5,20")
    parser.add_argument("--instances", default="1-5")
    parser.add_argument("--budget-multiplier", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    dims = numbers(args.dimensions)
    # The suite's own default instances are 1-5 and 71-80 (year-dependent); ask for exactly these.
    suite = cocoex.Suite("bbob", "instances: " + ",".join(map(str, numbers(args.instances))), "dimensions: " + ",".join(map(str, dims)))
    rows = [HEADER]
    output = os.path.abspath(args.output)
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        for d in dims:
            for f in numbers(args.functions):
                for i in numbers(args.instances):
                    problem = suite.get_problem_by_function_dimension_instance(f, d, i)
                    fopt = optimal_value(problem)
                    seed = args.seed + f * 1000003 + d * 10007 + i
                    state, hits, seconds, overhead, generations = run(problem, fopt, args.budget_multiplier * d, seed)
                    hit_text = " ".join("-" if h is None else str(h) for h in hits)
                    rows.append("pycma,%d,%d,%d,%d,%r,%r,%r,%d,%s" % (f, d, i, state["used"], float(state["best"]), seconds, overhead,
                                                                    generations, hit_text))
                    print("pycma f%d d%d i%d: best %.2e after %d evaluations, %.1f s" % (f, d, i, state["best"], state["used"], seconds), flush=True)
                    problem.free()
        os.chdir(cwd)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    with open(output, "w") as handle:
        handle.write("\n".join(rows) + "\n")
    print("wrote", output)


if __name__ == "__main__":
    main()
