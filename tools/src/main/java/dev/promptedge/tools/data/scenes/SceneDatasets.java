package dev.promptedge.tools.data.scenes;

import dev.promptedge.tools.data.FashionMnist;
import dev.promptedge.tools.data.Split;
import dev.promptedge.tools.json.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Generates a scene dataset in all three layouts from one seed: {@code OUT/detection/SPLIT} (COCO),
 * {@code OUT/segmentation/SPLIT} (class masks), {@code OUT/classification/SPLIT} (ImageFolder
 * crops), plus {@code OUT/recipe.json}. Scene {@code i} of a split depends only on the seed, the
 * split, {@code i}, the options and the glyphs, so scenes are made in parallel and the same inputs
 * give byte-identical files. Stateless.
 */
public final class SceneDatasets {

  private SceneDatasets() {}

  /**
   * One split to generate: how many scenes, and the glyphs to draw items from.
   *
   * @param split the split
   * @param count number of scenes
   * @param glyphs the Fashion-MNIST glyphs (train glyphs for train, test glyphs for val)
   * @param source where the glyphs came from, recorded in {@code recipe.json}
   */
  public record SplitPlan(Split split, int count, FashionMnist glyphs, String source) {

    /** Checks the count. */
    public SplitPlan {
      if (count < 1) {
        throw new IllegalArgumentException(
            split.dirName() + " needs at least 1 scene, got " + count);
      }
    }
  }

  /** Receives progress from worker threads; implementations must be thread-safe. */
  @FunctionalInterface
  public interface Progress {
    /** {@code done} of {@code count} scenes of {@code split} are written (each value once). */
    void scenesDone(Split split, int done, int count);
  }

  /**
   * Writes the dataset under {@code out}, reporting each finished scene to {@code progress}.
   *
   * @throws UncheckedIOException when a file cannot be written
   */
  public static void generate(
      Path out, long seed, SceneOptions options, Iterable<SplitPlan> plans, Progress progress) {
    Map<String, Object> recipe = new LinkedHashMap<>();
    recipe.put("generator", "promptedge data generate");
    recipe.put("format_version", 1);
    recipe.put("seed", seed);
    recipe.put("size", options.size());
    recipe.put("max_items", options.maxItems());
    recipe.put("threshold", SceneGenerator.THRESHOLD);
    recipe.put("labels", FashionMnist.LABELS);
    Map<String, Object> splits = new LinkedHashMap<>();
    try {
      for (SplitPlan plan : plans) {
        SceneGenerator generator = new SceneGenerator(plan.glyphs(), options);
        SplitWriter writer = new SplitWriter(out, plan.split(), plan.count());
        AtomicInteger done = new AtomicInteger();
        IntStream.range(0, plan.count())
            .parallel()
            .forEach(
                i -> {
                  writer.write(i, generator.generate(sceneSeed(seed, plan.split(), i)));
                  progress.scenesDone(plan.split(), done.incrementAndGet(), plan.count());
                });
        writer.finish(options.size());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("scenes", plan.count());
        s.put("glyphs", plan.source());
        splits.put(plan.split().dirName(), s);
      }
      recipe.put("splits", splits);
      Files.createDirectories(out);
      Files.writeString(
          out.resolve("recipe.json"), JsonWriter.write(recipe) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the dataset under " + out + " failed: " + e, e);
    }
  }

  /** The seed of scene {@code index} of {@code split}: SplitMix64 of the three. */
  static long sceneSeed(long seed, Split split, int index) {
    long z = seed * 0x9E3779B97F4A7C15L + (split.ordinal() + 1) * 0xD1B54A32D192ED03L + index;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
