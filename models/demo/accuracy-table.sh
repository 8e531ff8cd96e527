#!/usr/bin/env bash
# The accuracy table of the README, on the NanoDet-g backbone (models/nanodet): detection and
# segmentation on the generated Fashion-MNIST scenes (3,000 train, 300 val), classification on the
# real Fashion-MNIST test set (10,000 images; trained on CLS_TRAIN training images, epochs picked on
# the next CLS_VAL), each task trained in the modes linear probe, pixel prompt, channel
# prompts (deep: after every stage), both, and full fine-tuning, with the linear and the conv head,
# and each bundle evaluated through the runtime on the float and the int8 backbone. Writes
# models/demo/accuracy.md and models/demo/accuracy.json.
#
# Needs: ./mvnw -B -ntp -DskipTests package, Debian's dataset-fashion-mnist, and the NanoDet float
# model (models/nanodet/make-nanodet-backbone.sh; its hash is checked against the card).
# Time: about 8 minutes per prompt or full training on 2 idle cores (EPOCHS x ~60 s on 3,000
#   images), under a minute per linear probe (frozen features are cached), a minute per
#   evaluation; ROWS picks rows, e.g. ROWS="detection:none:conv detection:channel:conv", and
#   INCLUDE=models/demo/accuracy.json keeps an earlier table's rows beside them (compare --include).
# Steps whose output exists are skipped, so an interrupted run continues where it stopped; delete
# $WORK to start over. Every training uses the same budget: EPOCHS epochs, cosine learning rate,
# batch 16, seed 1, the best val epoch kept.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-$root/target/accuracy-nanodet}"
out="${OUT:-$root/models/demo/accuracy}"
epochs="${EPOCHS:-6}"
count="${COUNT:-3000}"
val_count="${VAL_COUNT:-300}"
cls_train="${CLS_TRAIN:-3000}"
cls_val="${CLS_VAL:-1000}"
engine="${ENGINE:-onnxruntime}"
pe="$root/bin/promptedge"
nanodet="$root/models/nanodet"
# task:prompts:head, in the order they run (the rows that decide the goals first).
rows="${ROWS:-detection:none:conv detection:channel:conv segmentation:none:conv \
segmentation:channel:conv classification:none:linear classification:channel:linear \
detection:full:conv segmentation:full:conv classification:full:linear \
detection:pixel,channel:conv segmentation:pixel,channel:conv classification:pixel,channel:linear \
detection:pixel:conv segmentation:pixel:conv classification:pixel:linear \
detection:none:linear detection:channel:linear segmentation:none:linear \
segmentation:channel:linear classification:none:conv classification:channel:conv \
detection:pixel:linear detection:pixel,channel:linear segmentation:pixel:linear \
segmentation:pixel,channel:linear classification:pixel:conv classification:pixel,channel:conv \
detection:full:linear segmentation:full:linear classification:full:conv}"

# 1. The backbone beside its ONNX forms (export writes them byte-identical to the card's hashes).
bb="$work/backbone"
card="$bb/nanodet-g-128.card.textproto"
if [ ! -f "$bb/nanodet-g-128-int8.onnx" ]; then
  if [ ! -f "$nanodet/nanodet-g-128.tflite" ]; then
    echo "accuracy-table.sh: needs $nanodet/nanodet-g-128.tflite: run models/nanodet/make-nanodet-backbone.sh" >&2
    exit 1
  fi
  mkdir -p "$bb"
  cp "$nanodet/nanodet-g-128.card.textproto" "$nanodet/nanodet-g-128.tflite" \
    "$nanodet/nanodet-g-128-int8.tflite" "$bb/"
  "$pe" backbone export --card "$card"
fi

# 2. Data: the scenes of the demo bundles' recipe (seed 2) and Fashion-MNIST itself.
if [ ! -f "$work/scenes/recipe.json" ]; then
  "$pe" data generate --out "$work/scenes" --seed 2 --count "$count" --val-count "$val_count" \
    --size 64 --max-items 3
fi
#    Classification picks its epochs on training images held out after the train ones, and is
#    evaluated on the 10,000 test images alone.
if [ ! -d "$work/fashion-mnist/val" ]; then
  "$pe" data fashion-mnist --out "$work/fashion-mnist" --train-count "$cls_train" \
    --val-count "$cls_val" --val-from train
fi
if [ ! -d "$work/fashion-mnist-test/val" ]; then # (eval reads val/; train/ gives the class list)
  "$pe" data fashion-mnist --out "$work/fashion-mnist-test" --train-count "$cls_train"
fi
data_for() { # task, train|eval -> dataset folder
  if [ "$1" != classification ]; then echo "$work/scenes/$1"
  elif [ "$2" = train ]; then echo "$work/fashion-mnist"
  else echo "$work/fashion-mnist-test"; fi
}

evals=()
for row in $rows; do
  IFS=: read -r task prompts head <<<"$row"
  name="$task-${prompts//,/-}-$head"
  bundle="$work/bundles/$name.bundle"
  data="$(data_for "$task" train)"
  row_card="$card"
  mkdir -p "$work/bundles" "$work/logs"
  # 3. Training against the frozen float backbone (full also trains every backbone weight, at a
  #    tenth of the learning rate, and writes its own card beside the bundle).
  if [ ! -f "$bundle" ]; then
    if [ "$prompts" = full ]; then mode=(--mode full --prompts none); else mode=(--prompts "$prompts"); fi
    "$pe" train --task "$task" --backbone "$card" --data "$data" "${mode[@]}" --head "$head" \
      --epochs "$epochs" --lr-schedule cosine --patience 0 --seed 1 --out "$bundle" \
      2>&1 | grep -v ' ETA ' | tee "$work/logs/$name.train.log"
  fi
  if [ "$prompts" = full ]; then
    row_card="$work/bundles/nanodet-g-128-$name.card.textproto"
    # A fine-tuned backbone needs its own int8 model (calibrated with its bundle's prompts, as the
    # shared one is with the demo bundles') and ONNX forms; then the bundle's expectations.
    if ! grep -q '^quantized_model' "$row_card"; then
      "$pe" backbone quantize --card "$row_card" --mode int8 \
        --calibration "$work/scenes/detection/train/images" --calibration-count 64 --held-out 16 \
        --calibration-bundle "$bundle"
      "$pe" bundle repack --backbone "$row_card" --in "$bundle"
    fi
  fi
  # 4. Evaluation through the runtime's inference path on the val split, float and int8.
  for precision in float int8; do
    dir="$work/eval/$name-$precision"
    flag=()
    if [ "$precision" = int8 ]; then flag=(--quantized); fi
    if [ ! -f "$dir/metrics.json" ]; then
      "$pe" eval --bundle "$bundle" --backbone "$row_card" --data "$(data_for "$task" eval)" \
        --engine "$engine" \
        ${flag[@]+"${flag[@]}"} --threads 2 --out "$dir.tmp" && rm -rf "$dir" && mv "$dir.tmp" "$dir"
    fi
    evals+=("$dir/metrics.json")
  done
  # 5. The tables so far, after every row.
  include=()
  if [ -n "${INCLUDE:-}" ]; then include=(--include "$INCLUDE"); fi
  "$pe" compare --out "$out.md" --json "$out.json" ${include[@]+"${include[@]}"} "${evals[@]}" \
    >/dev/null
done
echo "wrote $out.md and $out.json"
