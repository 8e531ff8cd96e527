package dev.promptedge.tools.eval;

import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.tools.data.Split;
import dev.promptedge.tools.data.SplitRule;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of {@link EvalWorkflow}. Immutable value.
 *
 * @param card the backbone card the bundle is for
 * @param quantized run the card's int8 backbone file
 * @param config how the backbone and head run (engine resolved, threads)
 * @param bundleFile the bundle's file, for the report
 * @param bundle the bundle, read and checked against {@code card}
 * @param prompts which prompt inputs the bundle carries, as {@code --prompts} names them, for the
 *     report
 * @param data dataset folder in the bundle task's layout
 * @param split the split to evaluate
 * @param rule how to split {@code data} when it has no {@code train/} and {@code val/}
 * @param options batch, limit and the detection settings for mAP
 * @param out folder for the result files; empty = print only
 * @param drawn images drawn into the report
 */
public record EvalRequest(
    CardFile card,
    boolean quantized,
    InterpreterConfig config,
    Path bundleFile,
    Bundle bundle,
    String prompts,
    Path data,
    Split split,
    SplitRule rule,
    EvalOptions options,
    Optional<Path> out,
    int drawn) {

  /** Checks that every part is there. */
  public EvalRequest {
    Objects.requireNonNull(card, "card");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(bundleFile, "bundleFile");
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(prompts, "prompts");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(out, "out");
  }
}
