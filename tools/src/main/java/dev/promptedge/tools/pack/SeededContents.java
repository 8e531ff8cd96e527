package dev.promptedge.tools.pack;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.PostProcessing;
import dev.promptedge.format.Provenance;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.FeatureMap;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Untrained bundle contents drawn from a seed: a prompt from N(0, 0.02²) (the usual VPT
 * initialization), a linear head and a synthetic self-test image. For demos and for packing before
 * training exists; the same seed gives the same contents.
 */
public final class SeededContents {

  /** Standard deviation of seeded prompt tokens. */
  static final double PROMPT_STD = 0.02;

  private SeededContents() {}

  /** Seeded contents for a bundle on {@code card}'s backbone. */
  public static BundleContents of(
      CardFile card,
      String name,
      TaskKind task,
      List<String> labels,
      long version,
      long seed,
      PostProcessing postProcessing,
      Provenance provenance) {
    return of(card, name, task, labels, version, seed, postProcessing, provenance, slot -> true);
  }

  /**
   * Seeded contents carrying only the prompt inputs {@code carried} accepts; the others are left
   * out of the bundle and run at their kind's identity.
   */
  public static BundleContents of(
      CardFile card,
      String name,
      TaskKind task,
      List<String> labels,
      long version,
      long seed,
      PostProcessing postProcessing,
      Provenance provenance,
      Predicate<PromptSlot> carried) {
    BackboneCard c = card.card();
    return new BundleContents(
        name,
        task,
        version,
        labels,
        prompts(card, seed, carried),
        head(card, task, labels.size(), seed),
        List.of(card.featureOutputs().get(0).name()),
        postProcessing,
        SelfTestImages.syntheticPng(c.getInputWidth(), c.getInputHeight(), seed),
        Map.of(),
        provenance);
  }

  /**
   * Seeded prompts for {@code card}: TOKENS inputs drawn from N(0, 0.02²); other kinds their
   * identity plus N(0, 0.02²), a small perturbation of the unchanged backbone.
   */
  public static Map<String, float[]> prompts(CardFile card, long seed) {
    return prompts(card, seed, slot -> true);
  }

  /**
   * Seeded prompts as {@link #prompts(CardFile, long)} for the inputs {@code carried} accepts only;
   * each keeps the values it has when every input is carried.
   */
  public static Map<String, float[]> prompts(
      CardFile card, long seed, Predicate<PromptSlot> carried) {
    Map<String, float[]> prompts = new LinkedHashMap<>();
    long k = 0;
    for (PromptSlot slot : card.promptInputs()) {
      long slotSeed = k++ == 0 ? seed : seed * 31 + k;
      if (!carried.test(slot)) {
        continue;
      }
      float[] noise = prompt(slot.size(), slotSeed);
      float[] identity = slot.identity();
      for (int i = 0; i < noise.length; i++) {
        noise[i] += identity[i];
      }
      prompts.put(slot.name(), noise);
    }
    return prompts;
  }

  /** {@code size} prompt values drawn from N(0, 0.02²). */
  public static float[] prompt(int size, long seed) {
    Random random = new Random(seed);
    float[] prompt = new float[size];
    for (int i = 0; i < size; i++) {
      prompt[i] = (float) (random.nextGaussian() * PROMPT_STD);
    }
    return prompt;
  }

  /**
   * A linear head for {@code task} with {@code classes} labels on the card's first feature output.
   */
  public static byte[] head(CardFile card, TaskKind task, int classes, long seed) {
    FeatureMap f = card.featureOutputs().get(0);
    int outputs = task == TaskKind.DETECTION ? classes + HeadBuilder.DETECTION_EXTRA : classes;
    return HeadBuilder.build(
        task,
        HeadWeights.random(outputs, f.channels(), seed),
        f.name(),
        f.height(),
        f.width(),
        f.channels());
  }
}
