package dev.promptedge.runtime.source;

import java.io.IOException;
import java.util.Optional;

/** One connection to a source: yields frames until it ends or fails. Used by one reader thread. */
interface FrameStream extends AutoCloseable {
  /**
   * The next frame's encoded bytes, or empty when the stream ended.
   *
   * @throws BadFrameException when one frame was refused and the stream can go on
   * @throws IOException when the connection is broken
   */
  Optional<byte[]> next() throws IOException;

  /**
   * True for a live stream, whose frames beyond the fps cap are skipped; false for one whose every
   * frame counts (a directory), which is paced instead.
   */
  default boolean live() {
    return true;
  }

  /** Stops the stream; may be called from another thread to unblock {@link #next()}. */
  @Override
  void close();

  /** Opens a connection for the spec's url scheme. */
  static FrameStream open(SourceSpec spec, Timeouts timeouts) throws IOException {
    String scheme = SourceSpec.scheme(spec.url());
    switch (scheme) {
      case "http://", "https://" -> {
        return HttpMjpegStream.open(spec, timeouts);
      }
      case "exec:" -> {
        return ExecMjpegStream.open(spec);
      }
      default -> {
        return DirectoryStream.open(spec);
      }
    }
  }

  /** Connect and read timeouts in milliseconds. */
  record Timeouts(int connectMillis, int readMillis) {
    static final Timeouts DEFAULT = new Timeouts(5_000, 10_000);
  }
}
