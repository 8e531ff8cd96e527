package dev.promptedge.tools.demo;

import dev.promptedge.runtime.engine.InterpreterConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One run of {@link DemoWorkflow}. Immutable value.
 *
 * @param kit the demo backbone and bundles to run
 * @param work folder the kit, the scenes, the bundle store and the drawings go to
 * @param config how the backbone and heads run (engine resolved, threads)
 * @param quantized run the int8 backbone, as a board does (forced when the float one is missing)
 */
public record DemoRequest(
    DemoAssets.Kit kit, Path work, InterpreterConfig config, boolean quantized) {

  /** Checks that every part is there. */
  public DemoRequest {
    Objects.requireNonNull(kit, "kit");
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(config, "config");
  }
}
