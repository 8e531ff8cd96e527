#!/usr/bin/env bash
# The demo ViT's accuracy table (models/demo/accuracy-vit.md; the NanoDet table is
# accuracy-table.sh): the demo detection and segmentation tasks, trained in every mode
# (linear-probe, prompt, prompt-deep, full) against the committed demo ViT, each bundle evaluated
# through the runtime on the float and the int8 backbone.
#
# Needs: ./mvnw -B -ntp -DskipTests package, and Debian's dataset-fashion-mnist.
# Time: about 35 minutes on 2 cores (8 trainings of at most EPOCHS epochs, 2 int8 quantizations
# of the fine-tuned backbones, 16 evaluations; int8 evaluation is slow on x86, see the README).
# VIT_MODES (default: all four) picks the modes. Steps whose output exists are skipped, so an
# interrupted run continues where it stopped;
# delete $WORK to start over.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-$root/target/accuracy}"
out="${OUT:-$root/models/demo/accuracy-vit.md}"
epochs="${EPOCHS:-15}"
count="${COUNT:-3000}"
val_count="${VAL_COUNT:-300}"
demo="$root/models/demo"
pe="$root/bin/promptedge"

# 1. Scenes: seed 2 (the backbone was pretrained on seed 1's train split; val scenes use
#    Fashion-MNIST's test glyphs, which pretraining never saw).
if [ ! -f "$work/scenes/recipe.json" ]; then
  "$pe" data generate --out "$work/scenes" --seed 2 --count "$count" --val-count "$val_count" \
    --size 64 --max-items 3
fi

card_for() { # mode -> the card it trains against
  if [ "$1" = prompt-deep ]; then echo "$demo/demo-vit-deep.card.textproto"; else
    echo "$demo/demo-vit.card.textproto"; fi
}

evals=()
for task in detection segmentation; do
  for mode in ${VIT_MODES-linear-probe prompt prompt-deep full}; do
    name="$task-$mode"
    bundle="$work/bundles/$name.bundle"
    card="$(card_for "$mode")"
    mkdir -p "$work/bundles"
    # 2. Training against the frozen backbone (mode full also trains the backbone and writes its
    #    own card next to the bundle).
    if [ ! -f "$bundle" ]; then
      "$pe" train --task "$task" --backbone "$card" --data "$work/scenes/$task" --mode "$mode" \
        --epochs "$epochs" --patience 3 --seed 1 --out "$bundle"
    fi
    if [ "$mode" = full ]; then
      card="$work/bundles/$(basename "$card" .card.textproto)-$name.card.textproto"
      # 3. A fine-tuned backbone needs its own int8 model, calibrated like the demo backbone's,
      #    and the bundle a self-test expectation for it.
      if ! grep -q '^quantized_model' "$card"; then
        "$pe" backbone quantize --card "$card" --mode int8 \
          --calibration "$work/scenes/detection/train/images" --calibration-count 64 --held-out 16
      fi
      if "$pe" bundle inspect "$bundle" | grep -q ', 1 expectation(s)'; then
        "$pe" bundle repack --backbone "$card" --in "$bundle"
      fi
    fi
    # 4. Evaluation through the runtime's inference path, float and int8, on the val split.
    for precision in float int8; do
      dir="$work/eval/$name-$precision"
      flag=()
      if [ "$precision" = int8 ]; then flag=(--quantized); fi
      if [ ! -f "$dir/metrics.json" ]; then
        "$pe" eval --bundle "$bundle" --backbone "$card" --data "$work/scenes/$task" \
          ${flag[@]+"${flag[@]}"} --threads 1 --out "$dir.tmp" && rm -rf "$dir" && mv "$dir.tmp" "$dir"
      fi
      evals+=("$dir/metrics.json")
    done
  done
done

# 5. One Markdown table per task from the evaluations' metrics files (the prompts column names the
#    prompt kinds each bundle learned: none, tokens, pixel, channel).
"$pe" compare --out "$out" "${evals[@]}"
