package dev.promptedge.runtime.task;

import dev.promptedge.format.StoreSettings;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.InterpreterConfig;
import java.time.Duration;

/**
 * How a {@link TaskEngine} runs.
 *
 * @param interpreter settings of the head interpreters
 * @param residentBudgetBytes memory budget of resident bundles; least recently used ones are
 *     evicted
 * @param maxBundleBytes largest bundle file accepted
 * @param trialInferences inferences a newly installed bundle serves before its trial commits
 * @param trialTime time after which a newly installed bundle's trial commits without inferences
 */
public record EngineSettings(
    InterpreterConfig interpreter,
    long residentBudgetBytes,
    long maxBundleBytes,
    int trialInferences,
    Duration trialTime) {

  /** Default budget for resident bundles: 64 MiB. */
  public static final long DEFAULT_RESIDENT_BUDGET = 64L << 20;

  /** Default inferences that commit a trial: the first one. */
  public static final int DEFAULT_TRIAL_INFERENCES = 1;

  /** Default time that commits a trial without inferences: 5 minutes. */
  public static final Duration DEFAULT_TRIAL_TIME = Duration.ofMinutes(5);

  public EngineSettings {
    if (residentBudgetBytes <= 0 || maxBundleBytes <= 0) {
      throw new IllegalArgumentException("resident budget and bundle cap must be positive");
    }
    if (trialInferences < 1 || trialTime.isNegative() || trialTime.isZero()) {
      throw new IllegalArgumentException("a trial needs at least 1 inference and a positive time");
    }
  }

  /** Settings with the default trial rule. */
  public EngineSettings(
      InterpreterConfig interpreter, long residentBudgetBytes, long maxBundleBytes) {
    this(
        interpreter,
        residentBudgetBytes,
        maxBundleBytes,
        DEFAULT_TRIAL_INFERENCES,
        DEFAULT_TRIAL_TIME);
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
        store.getMaxBundleBytes() == 0 ? BundleReader.DEFAULT_MAX_BYTES : store.getMaxBundleBytes(),
        store.getTrialInferences() == 0 ? DEFAULT_TRIAL_INFERENCES : store.getTrialInferences(),
        store.getTrialSeconds() == 0
            ? DEFAULT_TRIAL_TIME
            : Duration.ofSeconds(store.getTrialSeconds()));
  }
}
