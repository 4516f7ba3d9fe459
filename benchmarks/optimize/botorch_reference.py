#!/usr/bin/env python3
"""BoTorch's standard Bayesian-optimisation loop on the problems of `mesa benchmark-bo`.

Reads the designs file Mesa writes (`designs.json`: every problem's box, minimum and, for the
held-out GP-prior functions, random Fourier features; every run's seed, initial Latin-hypercube
points in the unit cube and their values) and, for each run, starts from the same initial points
and makes the same number of suggestions with BoTorch's textbook loop:

    SingleTaskGP(X, -y)                      # default priors; outputs standardised
    fit_gpytorch_mll(ExactMarginalLogLikelihood(...))
    LogExpectedImprovement(model, best_f=max(-y))
    optimize_acqf(..., q=1, num_restarts=10, raw_samples=512)

Objectives are minimised by Mesa and maximised by BoTorch, hence `-y`. Named functions are
BoTorch's own `botorch.test_functions.synthetic` classes; the initial values are checked against
Mesa's, so both sides provably run the same problems. Writes a traces CSV in Mesa's format
(`method,problem,seed,evaluation,value,best,seconds`, method `botorch`, `seconds` the wall time of
fit + acquisition for each suggestion), which `mesa benchmark-bo --report-only --include FILE`
reads. Benchmarks only: BoTorch is never a run-time dependency of Mesa. Installs `botorch` with pip
when it is missing.

    python3 benchmarks/optimize/botorch_reference.py --designs runs/bo-compare/designs.json \
        --output runs/bo-compare/botorch-traces.csv
"""
import argparse
import csv
import json
import math
import subprocess
import sys
import time
import warnings


def ensure_botorch():
    try:
        import botorch  # noqa: F401
    except ImportError:
        print("botorch_reference.py: installing botorch with pip (benchmarks only)", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "botorch"])


def named_function(name):
    from botorch.test_functions import synthetic as s
    constructors = {
        "branin": lambda: s.Branin(),
        "hartmann3": lambda: s.Hartmann(dim=3),
        "hartmann6": lambda: s.Hartmann(dim=6),
        "ackley5": lambda: s.Ackley(dim=5),
        "levy4": lambda: s.Levy(dim=4),
        "rosenbrock4": lambda: s.Rosenbrock(dim=4),
        "michalewicz2": lambda: s.Michalewicz(dim=2),
    }
    if name not in constructors:
        sys.exit(f"botorch_reference.py: unknown named function {name!r}; known: {', '.join(constructors)}")
    return constructors[name]()


def objective(problem, torch):
    """f(u) for unit-cube points u of shape [n, d], in the problem's units, to be minimised."""
    lower = torch.tensor(problem["lower_bounds"], dtype=torch.double)
    upper = torch.tensor(problem["upper_bounds"], dtype=torch.double)
    if problem["kind"] == "named":
        function = named_function(problem["name"])
        if not torch.allclose(function.bounds.to(torch.double), torch.stack([lower, upper])):
            sys.exit(f"botorch_reference.py: {problem['name']}: BoTorch's box {function.bounds.tolist()} differs from Mesa's")
        return lambda u: function.evaluate_true(lower + u * (upper - lower))
    fourier = problem["fourier"]
    frequencies = torch.tensor(fourier["frequencies"], dtype=torch.double)   # [M, d]
    phases = torch.tensor(fourier["phases"], dtype=torch.double)
    weights = torch.tensor(fourier["weights"], dtype=torch.double)
    amplitude = fourier["amplitude"]
    return lambda u: amplitude * (torch.cos((lower + u * (upper - lower)) @ frequencies.T + phases) * weights).sum(-1)


def run(problem, run_design, evaluation_count, torch):
    from botorch.acquisition import LogExpectedImprovement
    from botorch.fit import fit_gpytorch_mll
    from botorch.models import SingleTaskGP
    from botorch.models.transforms.outcome import Standardize
    from botorch.optim import optimize_acqf
    from gpytorch.mlls import ExactMarginalLogLikelihood

    f = objective(problem, torch)
    torch.manual_seed(run_design["seed"])
    d = problem["dimension"]
    X = torch.tensor(run_design["initial_points"], dtype=torch.double)
    y = f(X)
    expected = torch.tensor(run_design["initial_values"], dtype=torch.double)
    if not torch.allclose(y, expected, rtol=1e-9, atol=1e-9):
        sys.exit(f"botorch_reference.py: {problem['name']} seed {run_design['seed']}: the initial values differ from Mesa's "
                 f"({y.tolist()[:3]} against {expected.tolist()[:3]}); the two sides would not run the same problem")
    bounds = torch.stack([torch.zeros(d, dtype=torch.double), torch.ones(d, dtype=torch.double)])
    seconds = [0.0] * len(y)
    while len(y) < evaluation_count:
        start = time.perf_counter()
        train_y = -y.unsqueeze(-1)
        model = SingleTaskGP(X, train_y, outcome_transform=Standardize(m=1))
        fit_gpytorch_mll(ExactMarginalLogLikelihood(model.likelihood, model))
        acquisition = LogExpectedImprovement(model, best_f=train_y.max())
        candidate, _ = optimize_acqf(acquisition, bounds=bounds, q=1, num_restarts=10, raw_samples=512)
        seconds.append(time.perf_counter() - start)
        X = torch.cat([X, candidate])
        y = torch.cat([y, f(candidate)])
    return y.tolist(), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--designs", required=True, help="designs.json written by mesa benchmark-bo")
    parser.add_argument("--output", required=True, help="the traces CSV to write")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's own choice)")
    args = parser.parse_args()

    ensure_botorch()
    import torch
    # Double precision throughout, constants of the test functions included (BoTorch stores some
    # as float32 tensors otherwise, which moves Hartmann's values by about 1e-9).
    torch.set_default_dtype(torch.double)
    if args.threads:
        torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore")   # BoTorch's advisory warnings (input scaling, optimisation restarts)

    with open(args.designs) as handle:
        designs = json.load(handle)
    evaluation_count = designs["evaluation_count"]
    total = sum(len(p["runs"]) for p in designs["problems"])
    done = 0
    with open(args.output, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["method", "problem", "seed", "evaluation", "value", "best", "seconds"])
        for problem in designs["problems"]:
            for run_design in problem["runs"]:
                values, seconds = run(problem, run_design, evaluation_count, torch)
                best = math.inf
                for index, (value, elapsed) in enumerate(zip(values, seconds)):
                    best = min(best, value)
                    writer.writerow(["botorch", problem["name"], run_design["seed"], index + 1, repr(value), repr(best), repr(elapsed)])
                handle.flush()
                done += 1
                mean = sum(seconds) / max(1, len(seconds) - designs["initial_point_count"])
                print(f"botorch {done}/{total}: {problem['name']} seed {run_design['seed']}: best {best:.6g} "
                      f"(minimum {problem['minimum']:.6g}), {1000 * mean:.0f} ms per suggestion", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
