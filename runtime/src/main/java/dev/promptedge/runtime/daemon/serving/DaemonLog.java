package dev.promptedge.runtime.daemon.serving;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One-line log messages on standard error, prefixed with the time and the daemon's name. */
public final class DaemonLog {

  private final PrintStream out;

  /** A log writing to {@code out}. */
  public DaemonLog(PrintStream out) {
    this.out = out;
  }

  /** A log writing to standard error. */
  public static DaemonLog stderr() {
    return new DaemonLog(System.err);
  }

  /** Writes one line. */
  public void info(String message) {
    out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " promptedged: " + message);
    out.flush();
  }
}
