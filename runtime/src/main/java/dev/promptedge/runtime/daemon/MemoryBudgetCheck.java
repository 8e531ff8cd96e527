package dev.promptedge.runtime.daemon;

import dev.promptedge.runtime.daemon.serving.ImageIntake;
import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import java.util.Locale;

/** The start-time rule that the largest request a profile admits fits its memory budget. */
final class MemoryBudgetCheck {

  private MemoryBudgetCheck() {}

  /**
   * The budget of {@code settings}, after checking that one body of {@code api.max_body_bytes}
   * holding an image of {@code api.max_pixels} fits it.
   *
   * @throws IllegalStateException naming both settings when it does not
   */
  static MemoryBudget budget(DaemonSettings settings, ImageIntake images) {
    long budget = settings.decodeBudgetBytes();
    long largest = 2 * settings.maxBodyBytes() + images.maxCost();
    if (largest > budget) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "api.max_pixels %d (with api.max_body_bytes %d) needs up to %d bytes per request,"
                  + " but api.decode_budget_bytes is %d%s: lower api.max_pixels or raise"
                  + " api.decode_budget_bytes (or the heap, -Xmx)",
              settings.maxPixels(),
              settings.maxBodyBytes(),
              largest,
              budget,
              budget == Runtime.getRuntime().maxMemory() / 2
                  ? " (half the " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB heap)"
                  : ""));
    }
    return new MemoryBudget(budget, settings.decodeWaitMillis());
  }
}
