#!/usr/bin/env bash
# The pruning sweep of docs/results.md: lenet5 pot4 on MNIST pruned with `log` and `magnitude` to
# 30, 50, 70, 80 and 90 % sparsity in the accelerator's units (--group 8 --lanes 8); each model's
# accuracy (full test set, ReferenceEngine), and its cycles, weight reads and energy per inference on
# the row-buffer design with zero skipping (bac, zero gating, P 8, L 8; cycle model, asic-45nm and
# fpga-xcup), against the dense lenet5-uniform4 on mac (DSP multipliers, zero gating, P 8, L 8, no
# skipping) and the unpruned pot4 on bac without skipping. One training at a time, niced.
#
#   scripts/pruning-sweep.sh OUT_DIR FLOAT_CHECKPOINT UNIFORM4_MODEL
#   e.g. scripts/pruning-sweep.sh /work/models/pruning /work/models/lenet5-float.ckpt /work/models/lenet5-uniform4.potnet
#
# Environment: POTNET (the command; default: this checkout's ./potnet), POTNET_DATA (the data root),
# ROUNDS (3), EPOCHS (fine-tuning epochs per round, 1), LR (the fine-tuning's peak learning rate;
# default: the checkpoint's quantisation-aware rate), SPARSITIES ("30 50 70 80 90"), METHODS ("log
# magnitude"), THREADS (1). Steps already done (their output files exist) are skipped, so an
# interrupted sweep continues, and two sweeps of different METHODS may share OUT_DIR side by side;
# the table covers METHODS.
# Writes OUT_DIR/table.md (the table) and OUT_DIR/sweep.json (every number).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: pruning-sweep.sh OUT_DIR FLOAT_CHECKPOINT UNIFORM4_MODEL}"
float_ckpt="${2:?float checkpoint}"
uniform="${3:?uniform4 model}"
read -r -a potnet <<< "${POTNET:-$root/potnet}"
rounds="${ROUNDS:-3}"; epochs="${EPOCHS:-1}"; threads="${THREADS:-1}"
read -r -a sparsities <<< "${SPARSITIES:-30 50 70 80 90}"
read -r -a methods <<< "${METHODS:-log magnitude}"
lr=(); [ -n "${LR:-}" ] && lr=(--lr "$LR")
mkdir -p "$out/logs" "$out/designs" "$out/energy"

# The unpruned pot4 network as a checkpoint: the same run as lenet5-pot4.potnet (float init, 3 QAT epochs).
if [ ! -f "$out/lenet5-pot4.ckpt" ]; then
  nice -n 10 "${potnet[@]}" train --model lenet5 --data mnist --weights pot4 --per-channel --init "$float_ckpt" \
    --float-epochs 0 --epochs 3 --seed 1 --threads "$threads" --checkpoint "$out/lenet5-pot4.ckpt" \
    --out "$out/lenet5-pot4.potnet" > "$out/logs/lenet5-pot4.log" 2>&1
fi

# energy MODEL DESIGN_NAME PE_OPTIONS...: generates the design (cheap; no simulation) and its energies.
energy() {
  local model="$1" name="$2"; shift 2
  [ -f "$out/designs/$name/manifest.json" ] || "${potnet[@]}" hw generate "$model" "$@" --p 8 --l 8 --zero-gating --dataflow rowbuffer --out "$out/designs/$name" > /dev/null
  for tech in asic-45nm fpga-xcup; do
    [ -f "$out/energy/$name-$tech.json" ] || "${potnet[@]}" energy "$model" --design "$out/designs/$name" --tech "$tech" --json > "$out/energy/$name-$tech.json"
  done
}

energy "$uniform" uniform4-mac --pe mac --mac dsp
energy "$out/lenet5-pot4.potnet" pot4-unpruned-bac --pe bac

for method in "${methods[@]}"; do
  for s in "${sparsities[@]}"; do
    name="$method-$s"
    model="$out/lenet5-pot4-$name.potnet"
    if [ ! -f "$model" ]; then
      nice -n 10 "${potnet[@]}" prune "$out/lenet5-pot4.ckpt" --method "$method" --sparsity "$s%" --rounds "$rounds" --epochs "$epochs" "${lr[@]}" \
        --group 8 --lanes 8 --data mnist --threads "$threads" --json --out "$model" > "$out/logs/$name.json" 2> "$out/logs/$name.log" \
        || { echo "$name: failed (see $out/logs/$name.log)" >&2; exit 1; }
    fi
    energy "$model" "$name-bac" --pe bac --zero-skipping
  done
done

# The table: one row per model, energies in nJ per inference and as a ratio to uniform4 on mac.
python3 - "$out" "$uniform" "${methods[*]}" "${sparsities[@]}" <<'PY'
import json, sys, pathlib
out, uniform, methods, sparsities = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3].split(), sys.argv[4:]
def energy(name, tech):
    return json.loads((out / "energy" / f"{name}-{tech}.json").read_text())["total_picojoules"] / 1000
base = {t: energy("uniform4-mac", t) for t in ("asic-45nm", "fpga-xcup")}
rows = []
for method in methods:
    for s in sorted(sparsities, key=int):
        r = json.loads((out / "logs" / f"{method}-{s}.json").read_text())
        e = {t: energy(f"{method}-{s}-bac", t) for t in base}
        counts = json.loads((out / "designs" / f"{method}-{s}-bac" / "manifest.json").read_text())["predicted"]
        rows.append(dict(method=method, target=int(s), sparsity=r["pruning"]["sparsity"], accuracy=r["reference_accuracy"],
                         cycles=counts["cycles"], weight_reads=counts["weight_rom_reads"] + counts["pe_rom_reads"] + counts["weight_rf_reads"], tap_index_reads=counts["tap_index_reads"],
                         agreement=r["agreement"], asic_nj=e["asic-45nm"], fpga_nj=e["fpga-xcup"],
                         asic_ratio=e["asic-45nm"] / base["asic-45nm"], fpga_ratio=e["fpga-xcup"] / base["fpga-xcup"]))
unpruned = {t: energy("pot4-unpruned-bac", t) for t in base}
dense = json.loads((out / "designs" / "pot4-unpruned-bac" / "manifest.json").read_text())["predicted"]
(out / "sweep.json").write_text(json.dumps(dict(uniform4_mac_nj=base, pot4_unpruned_bac_nj=unpruned, rows=rows), indent=2))
lines = ["| method | target | zero weights | accuracy | cycles (x dense) | weight reads (ROM + register file) | tap index reads | asic-45nm nJ | ratio to uniform4-mac | fpga-xcup nJ | ratio to uniform4-mac |",
         "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    lines.append(f"| {r['method']} | {r['target']} % | {100*r['sparsity']:.1f} % | {100*r['accuracy']:.2f} % | {r['cycles']} ({r['cycles']/dense['cycles']:.2f}x) | {r['weight_reads']} | {r['tap_index_reads']} | {r['asic_nj']:.1f} | {r['asic_ratio']:.4f} | {r['fpga_nj']:.1f} | {r['fpga_ratio']:.4f} |")
lines.append(f"| uniform4 on mac (reference, dense) | | | | | | | {base['asic-45nm']:.1f} | 1 | {base['fpga-xcup']:.1f} | 1 |")
lines.append(f"| pot4 unpruned on bac (dense) | | | | {dense['cycles']} (1x) | {dense['weight_rom_reads'] + dense['pe_rom_reads'] + dense['weight_rf_reads']} | 0 | {unpruned['asic-45nm']:.1f} | {unpruned['asic-45nm']/base['asic-45nm']:.4f} | {unpruned['fpga-xcup']:.1f} | {unpruned['fpga-xcup']/base['fpga-xcup']:.4f} |")
(out / "table.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
PY
