package dev.promptedge.runtime.task;

import dev.promptedge.format.StoreSettings;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.tflite.InterpreterConfig;

/**
 * How a {@link TaskEngine} runs.
 *
 * @param interpreter settings of the head interpreters
 * @param residentBudgetBytes memory budget of resident bundles; least recently used ones are
 *     evicted
 * @param maxBundleBytes largest bundle file accepted
 */
public record EngineSettings(
    InterpreterConfig interpreter, long residentBudgetBytes, long maxBundleBytes) {

  /** Default budget for resident bundles: 64 MiB. */
  public static final long DEFAULT_RESIDENT_BUDGET = 64L << 20;

  public EngineSettings {
    if (residentBudgetBytes <= 0 || maxBundleBytes <= 0) {
      throw new IllegalArgumentException("resident budget and bundle cap must be positive");
    }
  }

  /** Defaults: {@link InterpreterConfig#defaults()}, 64 MiB resident, 4 MiB per bundle. */
  public static EngineSettings defaults() {
    return new EngineSettings(
        InterpreterConfig.defaults(), DEFAULT_RESIDENT_BUDGET, BundleReader.DEFAULT_MAX_BYTES);
  }

  /** The store settings of a device profile, with defaults where a value is 0. */
  public static EngineSettings of(InterpreterConfig interpreter, StoreSettings store) {
    return new EngineSettings(
        interpreter,
        store.getResidentBudgetBytes() == 0
            ? DEFAULT_RESIDENT_BUDGET
            : store.getResidentBudgetBytes(),
        store.getMaxBundleBytes() == 0
            ? BundleReader.DEFAULT_MAX_BYTES
            : store.getMaxBundleBytes());
  }
}
