package dev.promptedge.tools.eval;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.SampleSet;
import dev.promptedge.tools.files.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures a bundle on a dataset split through the runtime's own inference path: each call opens a
 * {@link TaskEngine} on a temporary store, installs the bundle (its self-test runs against this
 * backbone file), runs the images in batches with {@link TaskEngine#infer(List)} and scores the
 * post-processed results against the ground truth. Dataset labels are matched to the bundle's by
 * name. For detection the bundle is installed with the options' score threshold and detection cap
 * (see {@link EvalBundles}); the bundle's own threshold is scored as well. Not thread-safe; close
 * it to release the backbone when the evaluator opened it.
 *
 * <pre>{@code
 * try (BundleEvaluator evaluator = BundleEvaluator.open(card, true, InterpreterConfig.defaults())) {
 *   Evaluation e = evaluator.evaluate(bundle, dataset, EvalOptions.defaults(), EvalListener.NONE);
 *   double map = e.metrics().primary();
 * }
 * }</pre>
 */
public final class BundleEvaluator implements AutoCloseable {

  private final Backbone backbone;
  private final boolean ownsBackbone;
  private final InterpreterConfig config;
  private boolean closed;

  private BundleEvaluator(Backbone backbone, boolean ownsBackbone, InterpreterConfig config) {
    this.backbone = backbone;
    this.ownsBackbone = ownsBackbone;
    this.config = config;
  }

  /** Opens the float or int8 backbone of {@code card}; the evaluator closes it. */
  public static BundleEvaluator open(CardFile card, boolean quantized, InterpreterConfig config) {
    return new BundleEvaluator(Backbone.open(card, quantized, config), true, config);
  }

  /** An evaluator on an open backbone, which stays the caller's to close. */
  public static BundleEvaluator on(Backbone backbone, InterpreterConfig config) {
    return new BundleEvaluator(backbone, false, config);
  }

  /** The backbone the bundles run on. */
  public Backbone backbone() {
    return backbone;
  }

  /**
   * Evaluates {@code bundle} on {@code data} (samples of the bundle's task kind).
   *
   * @throws IllegalArgumentException when the labels differ by name or a sample is of another task
   * @throws dev.promptedge.runtime.bundle.BundleException when the bundle is refused or fails its
   *     self-test on this backbone
   */
  public Evaluation evaluate(
      Bundle bundle, SampleSet<? extends Sample> data, EvalOptions options, EvalListener listener) {
    if (closed) {
      throw new IllegalStateException("evaluator is closed");
    }
    long start = System.nanoTime();
    PromptBundle b = bundle.bundle();
    Scorer scorer = Scorer.of(b, data.labels());
    int total = options.limit() == 0 ? data.size() : Math.min(options.limit(), data.size());
    Path dir = temporaryStore();
    try (TaskEngine engine =
        TaskEngine.open(
            backbone,
            BundleStore.open(dir),
            new EngineSettings(
                config,
                EngineSettings.DEFAULT_RESIDENT_BUDGET,
                Math.max(bundle.sizeBytes() * 2, EngineSettings.defaults().maxBundleBytes())))) {
      engine.install(EvalBundles.forEvaluation(bundle, options));
      for (int from = 0; from < total; from += options.batchSize()) {
        int to = Math.min(total, from + options.batchSize());
        List<Sample> samples = new ArrayList<>(to - from);
        List<TaskRequest> requests = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          Sample sample = data.get(i);
          samples.add(sample);
          requests.add(TaskRequest.of(sample.image(), b.getName()));
        }
        List<InferenceResult> results = engine.infer(requests);
        for (int k = 0; k < samples.size(); k++) {
          scorer.add(samples.get(k), results.get(k));
          listener.onImage(new ImageResult(from + k, samples.get(k), results.get(k)));
        }
        listener.onProgress(to, total);
      }
    } finally {
      deleteStore(dir);
    }
    return new Evaluation(
        b.getName(),
        b.getVersion(),
        b.getTask(),
        backbone.modelFile().getSha256(),
        total,
        scorer.result(),
        scorer.deployed(),
        (System.nanoTime() - start) / 1e9);
  }

  private static Path temporaryStore() {
    try {
      return Files.createTempDirectory("promptedge-eval-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary bundle store: " + e, e);
    }
  }

  private static void deleteStore(Path dir) {
    try {
      FileTrees.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the temporary bundle store " + dir, e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ownsBackbone) {
      backbone.close();
    }
  }
}
