package dev.promptedge.runtime.source;

import dev.promptedge.runtime.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running source: a reader thread that (re)connects with capped exponential backoff and keeps
 * only the newest frame, and an inference thread that decodes it, runs its tasks and publishes.
 */
final class FrameSource implements AutoCloseable {
  static final long BACKOFF_START_MILLIS = 100;
  static final long BACKOFF_MAX_MILLIS = 10_000;

  private final SourceSpec spec;
  private final FrameInference inference;
  private final ResultsHub hub;
  private final FrameStream.Timeouts timeouts;
  private final ImageDecoder decoder = new ImageDecoder();
  private final LatestFrame slot = new LatestFrame();
  private final Thread reader;
  private final Thread worker;
  private final AtomicLong framesIn = new AtomicLong();
  private final AtomicLong decodeFailures = new AtomicLong();
  private final AtomicLong streamErrors = new AtomicLong();
  private volatile SourceStatus.State state = SourceStatus.State.CONNECTING;
  private volatile String lastError;
  private volatile Long lastFrameMillis;
  private volatile boolean closed;
  private volatile FrameStream current;

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
    reader.start();
    worker.start();
  }

  SourceSpec spec() {
    return spec;
  }

  SourceStatus status() {
    return new SourceStatus(
        spec.name(),
        spec.url(),
        closed ? SourceStatus.State.STOPPED : state,
        framesIn.get(),
        slot.dropped(),
        decodeFailures.get(),
        streamErrors.get(),
        Optional.ofNullable(lastError),
        Optional.ofNullable(lastFrameMillis));
  }

  private void readLoop() {
    long backoff = BACKOFF_START_MILLIS;
    long minGapNanos = spec.fps() > 0 ? (long) (1e9 / spec.fps()) : 0;
    long lastTaken = 0;
    long sequence = 0;
    while (!closed) {
      try (FrameStream stream = FrameStream.open(spec, timeouts)) {
        current = stream;
        if (closed) {
          break;
        }
        state = SourceStatus.State.CONNECTED;
        Optional<byte[]> bytes;
        while (!closed && (bytes = stream.next()).isPresent()) {
          long now = System.nanoTime();
          if (minGapNanos > 0 && lastTaken != 0 && now - lastTaken < minGapNanos) {
            continue;
          }
          lastTaken = now;
          framesIn.incrementAndGet();
          slot.offer(new Frame(++sequence, now, System.currentTimeMillis(), bytes.get()));
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
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
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
      BufferedImage image;
      try {
        image = decoder.decode(frame.jpeg());
      } catch (RuntimeException e) {
        decodeFailures.incrementAndGet();
        lastError = "frame " + frame.sequence() + " did not decode: " + e.getMessage();
        continue;
      }
      lastFrameMillis = frame.arrivedMillis();
      long start = System.currentTimeMillis();
      try {
        var results = inference.infer(image, spec.tasks());
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
      } catch (RuntimeException e) {
        lastError = "inference on frame " + frame.sequence() + " failed: " + e.getMessage();
      }
    }
  }

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
}
