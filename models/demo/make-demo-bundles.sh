#!/usr/bin/env bash
# Rebuilds the demo bundles committed in models/demo (fashion-detect, fashion-segment) and the
# demo scenes 'promptedge demo' runs them on (see models/demo/README.md).
# Needs: ./mvnw -B -ntp -DskipTests package, and Debian's dataset-fashion-mnist.
# Time: about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
work="${WORK:-target/accuracy}"
out="${OUT:-models/demo}"
pe=bin/promptedge

# 1. The training scenes: the accuracy table's recipe (accuracy-table-vit.sh shares this folder).
if [ ! -f "$work/scenes/recipe.json" ]; then
  "$pe" data generate --out "$work/scenes" --seed 2 --count 3000 --val-count 300 --size 64 \
    --max-items 3
fi

# 2. Prompt tuning (mode prompt: 8 shallow prompt tokens and a linear head) against the frozen
#    demo backbone, as in the accuracy table's prompt rows.
for pair in detect:detection segment:segmentation; do
  name="fashion-${pair%%:*}"
  task="${pair##*:}"
  "$pe" train --task "$task" --backbone "$out/demo-vit.card.textproto" \
    --data "$work/scenes/$task" --mode prompt --epochs 15 --patience 3 --seed 1 \
    --name "$name" --out "$out/$name.bundle"
  rm -f "$out/$name.loss.png" "$out/$name.metric.png"
done

# 3. Self-test expectations for the ONNX forms too: repack against a copy of the card exported to
#    ONNX (the export is deterministic, so a device's own export has the same hashes), so the
#    bundles install on ONNX Runtime in int8 as well as on TFLite.
exported="$work/demo-onnx"
rm -rf "$exported" && mkdir -p "$exported"
cp "$out/demo-vit.card.textproto" "$out/demo-vit.tflite" "$out/demo-vit-int8.tflite" "$exported/"
"$pe" backbone export --card "$exported/demo-vit.card.textproto" --format onnx
for name in fashion-detect fashion-segment; do
  "$pe" bundle repack --backbone "$exported/demo-vit.card.textproto" --in "$out/$name.bundle"
done

# 4. The scenes the demo shows: six val scenes of their own seed, detection and segmentation
#    layouts only (the demo prints their truth beside the results).
rm -rf "$out/scenes"
"$pe" data generate --out "$out/scenes" --seed 3 --split val --val-count 6 --size 64 --max-items 3
rm -rf "$out/scenes/classification"
