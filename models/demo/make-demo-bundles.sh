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

# 1. The training scenes: the accuracy table's recipe (accuracy-table.sh shares this folder).
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

# 3. The scenes the demo shows: six val scenes of their own seed, detection and segmentation
#    layouts only (the demo prints their truth beside the results).
rm -rf "$out/scenes"
"$pe" data generate --out "$out/scenes" --seed 3 --split val --val-count 6 --size 64 --max-items 3
rm -rf "$out/scenes/classification"
