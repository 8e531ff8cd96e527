#!/usr/bin/env bash
# Rebuilds the NanoDet-g demo files committed in models/nanodet: the bundles nanodet-detect and
# nanodet-segment ('promptedge demo --backbone nanodet' runs them on models/demo/scenes) and the
# int8 backbone nanodet-g-128-int8.tflite, calibrated with those bundles' trained prompts.
# Needs: ./mvnw -B -ntp -DskipTests package, Debian's dataset-fashion-mnist, and the float model
# models/nanodet/nanodet-g-128.tflite (not committed: make-nanodet-backbone.sh reproduces it and a
# card without quantized_model; this script then adds the int8 model to the card).
# Time: about 15 minutes of training per task on 2 idle cores, a few minutes of calibration.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." # relative paths: the recorded commands name no machine
here=models/nanodet
card="$here/nanodet-g-128.card.textproto"
work="${WORK:-target/nanodet-demo}"
epochs_detect="${EPOCHS_DETECT:-16}"
epochs_segment="${EPOCHS_SEGMENT:-12}"
pe=bin/promptedge
if [ ! -f "$here/nanodet-g-128.tflite" ]; then
  echo "make-demo-bundles.sh: $here/nanodet-g-128.tflite is missing: run" \
    "models/nanodet/make-nanodet-backbone.sh first" >&2
  exit 1
fi

# 1. The training scenes: the accuracy table's recipe (seed 2, 3,000 train and 300 val scenes of
#    64x64, letterboxed to the backbone's 128x128 input); the demo scenes are models/demo/scenes.
if [ ! -f "$work/scenes/recipe.json" ]; then
  "$pe" data generate --out "$work/scenes" --seed 2 --count 3000 --val-count 300 --size 64 \
    --max-items 3
fi

# 2. Channel prompts (scale/shift after the three backbone stages) and the conv head against the
#    frozen float model, cosine-decayed learning rate, the best val epoch kept. The pixel prompt
#    stays at its identity: its 49,152 values would add 196 KB to each bundle.
for spec in detect:detection:$epochs_detect segment:segmentation:$epochs_segment; do
  IFS=: read -r short task epochs <<< "$spec"
  name="nanodet-$short"
  "$pe" train --task "$task" --backbone "$card" --data "$work/scenes/$task" --mode prompt \
    --prompts channel --head conv --lr-schedule cosine --epochs "$epochs" --patience 0 --seed 1 \
    --name "$name" --out "$work/$name.bundle"
done

# 3. The int8 model, calibrated on training scenes with the trained prompts of both bundles (plus
#    identity prompts with noise), so the int8 ranges cover what the device feeds it.
"$pe" backbone quantize --card "$card" --mode int8 \
  --calibration "$work/scenes/detection/train/images" --calibration-count 64 --held-out 16 \
  --calibration-bundle "$work/nanodet-detect.bundle" \
  --calibration-bundle "$work/nanodet-segment.bundle"

# 4. The bundles' self-tests measured again on every backbone file of the card (float and int8,
#    TFLite and the ONNX forms quantize wrote), then committed beside it.
for name in nanodet-detect nanodet-segment; do
  "$pe" bundle repack --backbone "$card" --in "$work/$name.bundle" --out "$here/$name.bundle"
done
