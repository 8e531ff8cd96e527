package dev.promptedge.runtime.task;

/**
 * Something the engine's start-up check of the store found and acted on, in one line.
 *
 * @param kind {@code quarantined} (a bundle on trial when the process died: moved to quarantine,
 *     previous version restored), {@code damaged} (a file that failed its checks: moved to {@code
 *     damaged/}) or {@code active} (the active task had to be chosen again)
 * @param name the task or file concerned
 * @param message what was found and done, one line
 */
public record StoreEvent(String kind, String name, String message) {

  /** Kind of a bundle quarantined after a crash on trial. */
  public static final String QUARANTINED = "quarantined";

  /** Kind of a file moved aside because it failed its checks. */
  public static final String DAMAGED = "damaged";

  /** Kind of a fallback of the active task. */
  public static final String ACTIVE = "active";
}
