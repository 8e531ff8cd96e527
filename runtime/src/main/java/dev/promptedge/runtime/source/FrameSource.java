package dev.promptedge.runtime.source;

import dev.promptedge.runtime.image.ImageDecodeException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running source: a reader thread that (re)connects with capped exponential backoff and keeps
 * only the newest frame, and an inference thread that runs its tasks on that frame and publishes. A
 * live stream's reader never waits for inference: a slow engine drops frames (counted); a
 * directory's reader waits instead, since its files keep. A stalled camera only stalls itself.
 * Owned by {@link SourceManager}; closing it stops both threads.
 */
final class FrameSource implements AutoCloseable {
  static final long BACKOFF_START_MILLIS = 100;
  static final long BACKOFF_MAX_MILLIS = 10_000;

  private final SourceSpec spec;
  private final FrameInference inference;
  private final ResultsHub hub;
  private final FrameStream.Timeouts timeouts;
  private final LatestFrame slot = new LatestFrame();
  private final Thread reader;
  private final Thread worker;
  private final AtomicLong framesIn = new AtomicLong();
  private final AtomicLong framesInferred = new AtomicLong();
  private final AtomicLong decodeFailures = new AtomicLong();
  private final AtomicLong inferenceFailures = new AtomicLong();
  private final AtomicLong frameErrors = new AtomicLong();
  private final AtomicLong streamErrors = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private volatile SourceStatus.State state = SourceStatus.State.CONNECTING;
  private volatile String lastError;
  private volatile Long lastFrameMillis;
  private volatile boolean closed;
  private volatile FrameStream current;
  private volatile long lastReadNanos = System.nanoTime();
  private volatile boolean stalled;

  FrameSource(
      SourceSpec spec, FrameInference inference, ResultsHub hub, FrameStream.Timeouts timeouts) {
    this.spec = spec;
    this.inference = inference;
    this.hub = hub;
    this.timeouts = timeouts;
    reader = new Thread(this::readLoop, "source-" + spec.name() + "-reader");
    worker = new Thread(this::inferLoop, "source-" + spec.name() + "-infer");
    reader.setDaemon(true);
    worker.setDaemon(true);
  }

  void start() {
    reader.start();
    worker.start();
  }

  SourceSpec spec() {
    return spec;
  }

  SourceStatus status() {
    return new SourceStatus(
        spec.name(),
        spec.displayUrl(),
        closed ? SourceStatus.State.STOPPED : state,
        framesIn.get(),
        framesInferred.get(),
        slot.dropped(),
        decodeFailures.get(),
        inferenceFailures.get(),
        frameErrors.get(),
        streamErrors.get(),
        reconnects.get(),
        Optional.ofNullable(lastError),
        Optional.ofNullable(lastFrameMillis));
  }

  private void readLoop() {
    long backoff = BACKOFF_START_MILLIS;
    boolean first = true;
    Pacing pacing = new Pacing(spec.fps());
    long sequence = 0;
    while (!closed) {
      if (!first) {
        reconnects.incrementAndGet();
      }
      first = false;
      try (FrameStream stream = FrameStream.open(spec, timeouts)) {
        lastReadNanos = System.nanoTime();
        stalled = false;
        current = stream;
        if (closed) {
          break;
        }
        state = SourceStatus.State.CONNECTED;
        while (!closed) {
          Optional<byte[]> bytes;
          try {
            bytes = stream.next();
          } catch (BadFrameException e) {
            frameErrors.incrementAndGet();
            lastError = e.getMessage();
            continue;
          }
          if (bytes.isEmpty()) {
            break;
          }
          lastReadNanos = System.nanoTime();
          if (!pacing.take(stream.live())) {
            continue;
          }
          framesIn.incrementAndGet();
          Frame frame =
              new Frame(++sequence, System.nanoTime(), System.currentTimeMillis(), bytes.get());
          if (stream.live()) {
            slot.offer(frame);
          } else if (!slot.put(frame)) {
            break;
          }
          backoff = BACKOFF_START_MILLIS;
        }
        if (!closed) {
          lastError = "stream ended";
        }
      } catch (Exception e) {
        if (closed) {
          break;
        }
        streamErrors.incrementAndGet();
        lastError =
            stalled
                ? "no frame in " + timeouts.readMillis() + " ms: reopening the stream"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      if (closed) {
        break;
      }
      state = SourceStatus.State.RECONNECTING;
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        break;
      }
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MILLIS);
    }
  }

  private void inferLoop() {
    while (!closed) {
      Frame frame;
      try {
        frame = slot.take();
      } catch (InterruptedException e) {
        return;
      }
      if (frame == null) {
        return;
      }
      long start = System.currentTimeMillis();
      List<dev.promptedge.runtime.task.InferenceResult> results;
      try {
        results = inference.infer(frame.jpeg(), spec.tasks());
      } catch (ImageDecodeException e) {
        decodeFailures.incrementAndGet();
        lastError = "frame " + frame.sequence() + " did not decode: " + e.getMessage();
        continue;
      } catch (RuntimeException e) {
        inferenceFailures.incrementAndGet();
        lastError = "inference on frame " + frame.sequence() + " failed: " + e.getMessage();
        continue;
      }
      if (closed) {
        return;
      }
      lastFrameMillis = frame.arrivedMillis();
      framesInferred.incrementAndGet();
      hub.publish(
          frame.jpeg(),
          new FrameResults(
              spec.name(),
              frame.sequence(),
              frame.arrivedMillis(),
              start,
              System.currentTimeMillis(),
              results,
              slot.dropped()));
    }
  }

  /**
   * Closes a live stream that gave no frame within the read timeout, so that its reader reopens it
   * (a command whose output stalled has no socket timeout of its own). Called by the manager's
   * watchdog.
   */
  void checkStall() {
    FrameStream s = current;
    if (s == null
        || closed
        || stalled
        || !s.live()
        || state != SourceStatus.State.CONNECTED
        || System.nanoTime() - lastReadNanos < timeouts.readMillis() * 1_000_000L) {
      return;
    }
    stalled = true;
    s.close();
  }

  /** Stops both threads and the stream, waiting up to a few seconds for them; idempotent. */
  @Override
  public void close() {
    closed = true;
    slot.close();
    FrameStream s = current;
    if (s != null) {
      s.close();
    }
    reader.interrupt();
    try {
      reader.join(5_000);
      worker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    hub.forget(spec.name());
  }

  /** The fps cap: a live stream skips frames that come too soon, a directory waits instead. */
  private static final class Pacing {
    private final long gapNanos;
    private long last;

    Pacing(double fps) {
      gapNanos = fps > 0 ? (long) (1e9 / fps) : 0;
    }

    boolean take(boolean live) {
      long now = System.nanoTime();
      if (gapNanos > 0 && last != 0 && now - last < gapNanos) {
        if (live) {
          return false;
        }
        try {
          Thread.sleep((gapNanos - (now - last)) / 1_000_000L);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        now = System.nanoTime();
      }
      last = now;
      return true;
    }
  }
}
