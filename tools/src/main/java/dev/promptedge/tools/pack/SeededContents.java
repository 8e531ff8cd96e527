package dev.promptedge.tools.pack;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.PostProcessing;
import dev.promptedge.format.Provenance;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import java.util.List;
import java.util.Map;
import java.util.Random;

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
    BackboneCard c = card.card();
    return new BundleContents(
        name,
        task,
        version,
        labels,
        prompt(c.getPromptLayers() * c.getPromptTokens() * c.getEmbedDim(), seed),
        head(card, task, labels.size(), seed),
        postProcessing,
        SelfTestImages.syntheticPng(c.getInputWidth(), c.getInputHeight(), seed),
        Map.of(),
        provenance);
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

  /** A linear head for {@code task} with {@code classes} labels on {@code card}'s feature grid. */
  public static byte[] head(CardFile card, TaskKind task, int classes, long seed) {
    int dim = card.card().getEmbedDim();
    int outputs = task == TaskKind.DETECTION ? classes + HeadBuilder.DETECTION_EXTRA : classes;
    return HeadBuilder.build(
        task, HeadWeights.random(outputs, dim, seed), card.gridHeight(), card.gridWidth(), dim);
  }
}
