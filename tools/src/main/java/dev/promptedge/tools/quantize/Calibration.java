package dev.promptedge.tools.quantize;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.runtime.image.Preprocessor;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Inputs that stand for what a model will see, used to measure its activation ranges: one map per
 * sample from signature input name to that sample's float32 values (no batch dimension), and how
 * ranges are taken (min/max at {@code percentile} 100, or clipped to the given two-sided
 * percentile). Immutable.
 *
 * @param samples calibration samples, at least one
 * @param percentile 100 for min/max, or e.g. 99.99 to clip the rarest values on both sides
 */
public record Calibration(List<Map<String, float[]>> samples, double percentile) {

  /** Standard deviation of the default random calibration prompts. */
  public static final float DEFAULT_PROMPT_STD = 0.02f;

  public Calibration {
    samples = List.copyOf(samples);
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("calibration needs at least one sample");
    }
    if (!(percentile > 50 && percentile <= 100)) {
      throw new IllegalArgumentException(
          "calibration percentile must be in (50, 100], got " + percentile);
    }
  }

  /** Min/max ranges over {@code samples}. */
  public static Calibration of(List<Map<String, float[]>> samples) {
    return new Calibration(samples, 100);
  }

  /** The same samples with ranges clipped to {@code p} (two-sided). */
  public Calibration withPercentile(double p) {
    return new Calibration(samples, p);
  }

  /**
   * Backbone samples: each image letterboxed and normalized by the runtime's {@link Preprocessor}
   * for {@code card}, paired with a value for every prompt input of the card. Every fourth sample's
   * prompts are their kind's identity; the others add N(0, promptStd²) to it, drawn with {@code
   * seed}, the scale of freshly initialized VPT prompts. Prompts a trained bundle carries may be
   * larger: values outside the calibrated range are clipped by the int8 input, so calibrate with
   * trained prompts (or a larger {@code promptStd}) when you have them.
   */
  public static Calibration forBackbone(
      CardFile card, List<BufferedImage> images, float promptStd, long seed) {
    return forBackbone(card, images, promptStd, seed, List.of());
  }

  /**
   * Backbone samples as {@link #forBackbone(CardFile, List, float, long)}, but cycling through
   * {@code trained} prompt sets (e.g. the prompts of the bundles the backbone will serve, by prompt
   * input name; an input a set leaves out gets its identity): with n sets, sample i takes set
   * {@code i % (n + 1)}, and every (n + 1)-th sample the kind's identity plus N(0, promptStd²). No
   * sets gives the random prompts alone.
   *
   * @throws IllegalArgumentException when a set names an input the card lacks or has the wrong size
   */
  public static Calibration forBackbone(
      CardFile card,
      List<BufferedImage> images,
      float promptStd,
      long seed,
      List<Map<String, float[]>> trained) {
    for (Map<String, float[]> set : trained) {
      for (Map.Entry<String, float[]> e : set.entrySet()) {
        PromptSlot slot =
            card.promptInput(e.getKey())
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "calibration prompts name input '"
                                + e.getKey()
                                + "', which backbone "
                                + card.card().getName()
                                + " does not have: use bundles made for this backbone"));
        if (e.getValue().length != slot.size()) {
          throw new IllegalArgumentException(
              "calibration prompt '"
                  + e.getKey()
                  + "' has "
                  + e.getValue().length
                  + " values, the card's input "
                  + slot
                  + " takes "
                  + slot.size()
                  + ": use bundles made for this backbone");
        }
      }
    }
    Preprocessor preprocessor = Preprocessor.forCard(card.card());
    Random random = new Random(seed);
    List<Map<String, float[]>> samples = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      Map<String, float[]> sample = new LinkedHashMap<>();
      sample.put(Backbone.PIXELS, preprocessor.prepare(images.get(i)).pixels());
      int set = i % (trained.size() + 1);
      boolean noisy = trained.isEmpty() ? i % 4 != 3 : set == trained.size();
      for (PromptSlot slot : card.promptInputs()) {
        float[] prompt = slot.identity();
        if (set < trained.size()) {
          float[] values = trained.get(set).get(slot.name());
          if (values != null) {
            prompt = values.clone();
          }
        } else if (noisy) {
          for (int k = 0; k < prompt.length; k++) {
            prompt[k] += (float) (random.nextGaussian() * promptStd);
          }
        }
        sample.put(slot.name(), prompt);
      }
      samples.add(sample);
    }
    return of(samples);
  }
}
