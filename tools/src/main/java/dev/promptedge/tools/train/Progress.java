package dev.promptedge.tools.train;

import java.io.PrintWriter;

/**
 * The progress line of one epoch: a bar, steps done, running mean loss and the epoch's ETA, printed
 * at most every two seconds (and at the end), then one summary line. Plain lines rather than
 * carriage returns, so logs and pipes read well. Not thread-safe.
 */
final class Progress {

  private static final int WIDTH = 20;
  private static final long INTERVAL_NANOS = 2_000_000_000L;

  private final PrintWriter log;
  private final int epoch;
  private final int epochs;
  private final long steps;
  private final long start = System.nanoTime();
  private long lastPrint = start;

  Progress(PrintWriter log, int epoch, int epochs, long steps) {
    this.log = log;
    this.epoch = epoch;
    this.epochs = epochs;
    this.steps = steps;
  }

  void step(long done, double meanLoss) {
    long now = System.nanoTime();
    if (now - lastPrint < INTERVAL_NANOS) {
      return;
    }
    lastPrint = now;
    int filled = (int) (WIDTH * done / steps);
    double eta = (now - start) / 1e9 / done * (steps - done);
    log.printf(
        "epoch %d/%d [%s%s] %d/%d loss %.4f ETA %s%n",
        epoch,
        epochs,
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        done,
        steps,
        meanLoss,
        clock(eta));
    log.flush();
  }

  void done(EpochStats s, String metric, boolean best) {
    log.printf(
        "epoch %d/%d train loss %.4f  val loss %.4f  val %s %.4f%s  (%.1f s)%n",
        epoch,
        epochs,
        s.trainLoss(),
        s.valLoss(),
        metric,
        s.score(),
        best ? "  *best*" : "",
        s.seconds());
    log.flush();
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d", s / 60, s % 60);
  }
}
