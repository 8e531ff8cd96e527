package dev.promptedge.runtime.source;

import java.io.IOException;
import java.util.Optional;

/** One connection to a source: yields frames until it ends or fails. */
interface FrameStream extends AutoCloseable {
  /** The next frame's encoded bytes, or empty when the stream ended. */
  Optional<byte[]> next() throws IOException;

  @Override
  void close();

  /** Opens a connection for the spec's url scheme. */
  static FrameStream open(SourceSpec spec, Timeouts timeouts) throws IOException {
    if (spec.url().startsWith("http://")) {
      return HttpMjpegStream.open(spec, timeouts);
    }
    if (spec.url().startsWith("exec:")) {
      return ExecMjpegStream.open(spec);
    }
    return DirectoryStream.open(spec);
  }

  /** Connect and read timeouts in milliseconds. */
  record Timeouts(int connectMillis, int readMillis) {
    static final Timeouts DEFAULT = new Timeouts(5_000, 10_000);
  }
}
