#!/usr/bin/env bash
# Tables per second of `mesa pretrain` (the default classification recipe) with 1 process × 2
# threads, 1 process × 1 thread and 2 MPI ranks × 1 thread, all with --distributed so that the
# three see the same batches (data-parallel sampling does not depend on the rank count), and the
# all-reduce's share of a 2-rank step (the metrics' allReduceShare). docs/distributed.md.
#
#   benchmarks/distributed/throughput.sh [minutes-per-configuration]     (default 2)
#   MESA_MPIRUN_ARGS="--mca mpi_yield_when_idle 1" benchmarks/distributed/throughput.sh   (a shared machine)
#
# Needs a release build with MPI: swift build -c release --traits MPI (after scripts/setup --mpi).
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes="${1:-2}"
mesa=.build/release/mesa
folder=$(mktemp -d /tmp/mesa-throughput.XXXXXX)
trap 'rm -rf "$folder"' EXIT
mpirun=(mpirun --allow-run-as-root --oversubscribe --mca btl self,tcp --mca btl_tcp_if_include lo --mca oob_tcp_if_include lo ${MESA_MPIRUN_ARGS:-})

report() {   # label, run folder
    python3 - "$1" "$2" <<'PY'
import json, struct, sys
label, run = sys.argv[1], sys.argv[2]
with open(f"{run}/checkpoint.safetensors", "rb") as f:
    header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))["__metadata__"]
step, seconds = int(header["mesa.step"]), float(header["mesa.trainingSeconds"])
batch = json.loads(header["mesa.configuration"])["batchSize"]
shares = [json.loads(line)["allReduceShare"] for line in open(f"{run}/metrics.jsonl") if "allReduceShare" in line]
share = f", all-reduce share {sum(shares) / len(shares):.3f} (mean of {len(shares)} lines)" if shares and "2 ranks" in label else ""
print(f"{label}: {step} steps × {batch} tables in {seconds:.1f} s = {step * batch / seconds:.2f} tables/s{share}")
PY
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
$mesa pretrain --output "$folder/p1t2" --distributed --threads 2 --time-limit "$minutes" > /dev/null
report "1 process × 2 threads" "$folder/p1t2"
$mesa pretrain --output "$folder/p1t1" --distributed --threads 1 --time-limit "$minutes" > /dev/null
report "1 process × 1 thread" "$folder/p1t1"
"${mpirun[@]}" -np 2 $mesa pretrain --output "$folder/p2t1" --distributed --threads 1 --time-limit "$minutes" > /dev/null
report "2 ranks × 1 thread" "$folder/p2t1"
"${mpirun[@]}" -np 2 $mesa distributed-check --floats 545674 --repeats 50 | tail -1
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
