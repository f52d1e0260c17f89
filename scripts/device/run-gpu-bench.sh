#!/usr/bin/env bash
# The WebGPU measurement on a machine with a GPU, from .gpu/ (scripts/device/pack-gpu-bench.sh made it), in the
# repository's root: unpacks Node, Dawn and the Vulkan loader, then runs the Node harness of `npm run bench:gpu`
# (bench/gpu/node.ts: AAC + LR, the matmul rate, NLR heads at each group size against WASM) on the machine's Vulkan
# driver (--hardware: a software adapter fails the run). Writes OUT/bench-gpu.json ({config, places}) and
# OUT/bench-gpu.log; back here, `npm run bench:gpu -- --print bench-gpu.json` prints the table.
#
#   scripts/device/run-gpu-bench.sh OUT [paper|small] [--software]
#
# paper: the goal — all 512 dims of 10,000 × 512 at the paper's NLR settings (100 epochs of SGD), every
#        head in groups as large as memory allows, with 4 heads trained on WASM as the reference;
# small: a minute's check that everything loads (1,000 × 64, 1 epoch).
# --software: SwiftShader's Vulkan driver instead (a machine without a GPU: checks the script, not a GPU).
set -euo pipefail
OUT=${1:?usage: run-gpu-bench.sh OUT [paper|small] [--software]}
SIZE=${2:-paper}
P=.gpu
mkdir -p "$OUT"
if ! ldconfig -p | grep -q 'libvulkan\.so\.1'; then
  for f in "$P"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
[ -x /tmp/rl-node ] || { xz -dc "$P/node.xz" > /tmp/rl-node; chmod +x /tmp/rl-node; }
dawn="$P/node_modules/webgpu/dist/linux-x64/dawn.node"
[ -f "$dawn" ] || xz -dc "$dawn.xz" > "$dawn"
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$nvidia_icd" ] && export VK_DRIVER_FILES="$nvidia_icd"
case "$SIZE" in
  paper) config='{"n":10000,"d":512,"epochs":100,"heads":512,"refHeads":4,"groups":["max"],"matmulSize":4096}' ;;
  small) config='{"n":1000,"d":64,"epochs":1,"heads":16,"refHeads":4,"groups":[1,"max"],"matmulSize":1024}' ;;
  *) echo "size: paper or small" >&2; exit 2 ;;
esac
hardware=--hardware
[ "${3:-}" = --software ] && hardware=
export RL_WASM_DIR="$PWD/$P/wasm/" XDG_RUNTIME_DIR=/tmp
started=$(date +%s)
/tmp/rl-node "$P/bench.mjs" "$config" "$OUT/result.json" $hardware 2>&1 | tee "$OUT/bench-gpu.log"
# the file npm run bench:gpu -- --print reads
/tmp/rl-node -e '
const fs = require("node:fs");
const [config, result, out, seconds] = process.argv.slice(1);
const r = JSON.parse(fs.readFileSync(result, "utf8"));
const place = r.error ? { where: "node", result: null, error: r.error } : { where: "node", result: r };
fs.writeFileSync(out, JSON.stringify({ config: JSON.parse(config), places: [place], totalMs: 1000 * Number(seconds) }));
console.log(r.error ? `failed: ${r.error}` : `done: ${out}`);
' "$config" "$OUT/result.json" "$OUT/bench-gpu.json" "$(( $(date +%s) - started ))"
rm -f "$OUT/result.json"
