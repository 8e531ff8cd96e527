package dev.promptedge.runtime.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A process whose stdout is MJPEG (concatenated JPEGs, as {@code ffmpeg -f mjpeg -} writes);
 * destroyed on close.
 */
final class ExecMjpegStream implements FrameStream {
  private final Process process;
  private final MjpegReader reader;

  private ExecMjpegStream(Process process, MjpegReader reader) {
    this.process = process;
    this.reader = reader;
  }

  static ExecMjpegStream open(SourceSpec spec) throws IOException {
    List<String> command =
        Arrays.stream(spec.url().substring("exec:".length()).trim().split("\\s+"))
            .filter(s -> !s.isEmpty())
            .toList();
    if (command.isEmpty()) {
      throw new IOException(
          "source " + spec.name() + ": exec: needs a command, e.g. exec:ffmpeg -i ... -f mjpeg -");
    }
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    InputStream out = new BufferedInputStream(p.getInputStream(), 64 * 1024);
    return new ExecMjpegStream(p, new MjpegReader(out, Optional.empty(), spec.maxFrameBytes()));
  }

  @Override
  public Optional<byte[]> next() throws IOException {
    return reader.next();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroy();
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  boolean alive() {
    return process.isAlive();
  }
}
