#!/usr/bin/env bash
# Packs the WebGPU measurement for a machine with a GPU but no Node, no node_modules and no Vulkan loader (the
# device machines of this workplace): .gpu/ (ignored by git, ~35 MB) holds Node (xz), the Node harness bundled into
# one file (bench/gpu/node.ts with the core and tfjs), Dawn's addon from the `webgpu` package (xz), tfjs's WASM
# binaries and Debian's libvulkan1. There, scripts/device/run-gpu-bench.sh unpacks and runs it (see that file).
set -euo pipefail
cd "$(dirname "$0")/../.."
PACK=.gpu
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
rm -rf "$PACK"
mkdir -p "$PACK/node_modules/webgpu/dist/linux-x64" "$PACK/wasm" "$PACK/debs"
# one ES module; `webgpu` stays outside (it loads dawn.node from its own folder); `require` and `__dirname` for
# tfjs's CommonJS parts (the WASM backend's Emscripten loader)
banner="import { createRequire as __rlRequire } from 'node:module'; import { fileURLToPath as __rlPath } from 'node:url';"
banner+=" import { dirname as __rlDirname } from 'node:path'; const require = __rlRequire(import.meta.url);"
banner+=" const __filename = __rlPath(import.meta.url); const __dirname = __rlDirname(__filename);"
node_modules/.bin/esbuild bench/gpu/node.ts --bundle --platform=node --format=esm --target=node20 --log-level=warning \
  --external:webgpu --outfile="$PACK/bench.mjs" --banner:js="$banner"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$PACK/node_modules/webgpu/"
xz -T0 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$PACK/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$PACK/wasm/"
xz -T0 -6 -c "$(command -v node)" > "$PACK/node.xz"
# the Vulkan loader for amd64 (the device machines' processor), as the device README does it
lists=$(mktemp -d)
mkdir -p "$lists/partial"
apt_amd64=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
apt-get "${apt_amd64[@]}" update -qq >/dev/null
(cd "$PACK/debs" && apt-get "${apt_amd64[@]}" download libvulkan1 >/dev/null)
rm -rf "$lists"
du -sh "$PACK"
