#!/usr/bin/env bash
# Rebuilds the demo backbone committed in models/demo (see models/demo/README.md).
# Needs: ./mvnw -B -ntp -DskipTests package, and Debian's dataset-fashion-mnist.
# Time: under a minute of scene generation, the --minutes budget of pretraining, a few minutes
# of int8 calibration, on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-$root/target/demo-scenes}"
out="${OUT:-$root/models/demo}"
minutes="${MINUTES:-17}"
pe="$root/bin/promptedge"

# 1. The scenes (not committed: the recipe and the seed are; the same seed gives the same files).
"$pe" data generate --out "$work" --seed 1 --count 16000 --val-count 500 --size 64 --max-items 3

# 2. Pretraining on the TRAIN split only (val is for monitoring): per-patch classification plus
#    multi-label scene classification, read from the segmentation masks. Writes demo-vit (shallow
#    VPT) and demo-vit-deep (deep VPT) with the same weights. A time budget gives a machine-
#    dependent step count; pass STEPS=N (the card records it) to repeat a run exactly.
if [ -n "${STEPS:-}" ]; then budget=(--steps "$STEPS"); else budget=(--minutes "$minutes"); fi
nice -n 10 "$pe" backbone pretrain --data "$work/segmentation" --out "$out" "${budget[@]}" \
  --seed 1 --batch 32 --lr 0.001

# 3. Full-integer int8 models, calibrated on training scenes.
for card in demo-vit demo-vit-deep; do
  "$pe" backbone quantize --card "$out/$card.card.textproto" --mode int8 \
    --calibration "$work/detection/train/images" --calibration-count 64 --held-out 16
done
