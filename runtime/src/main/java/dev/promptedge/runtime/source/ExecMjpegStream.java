package dev.promptedge.runtime.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A process whose stdout is MJPEG (concatenated JPEGs, as {@code ffmpeg -f mjpeg -} writes); the
 * command is split at spaces, with '...' and "..." quoting. Its stderr's last kilobyte goes into
 * the error when it exits; the process and its children are destroyed on close.
 */
final class ExecMjpegStream implements FrameStream {
  private static final int STDERR_TAIL = 1024;
  private final Process process;
  private final MjpegReader reader;
  private final StringBuilder stderrTail = new StringBuilder();

  private ExecMjpegStream(Process process, MjpegReader reader) {
    this.process = process;
    this.reader = reader;
    Thread drain = new Thread(this::drainStderr, "source-exec-stderr-" + process.pid());
    drain.setDaemon(true);
    drain.start();
  }

  static ExecMjpegStream open(SourceSpec spec) throws IOException {
    List<String> command = split(spec.url().substring("exec:".length()));
    if (command.isEmpty()) {
      throw new IOException(
          "source " + spec.name() + ": exec: needs a command, e.g. exec:ffmpeg -i ... -f mjpeg -");
    }
    Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    InputStream out = p.getInputStream(); // MjpegReader buffers
    return new ExecMjpegStream(p, new MjpegReader(out, Optional.empty(), spec.maxFrameBytes()));
  }

  /** Splits a command line at unquoted whitespace; '...' and "..." group words. */
  static List<String> split(String line) throws IOException {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (quote != 0) {
      throw new IOException("exec: command has an unclosed " + quote + " quote: " + line);
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  private void drainStderr() {
    byte[] buffer = new byte[4096];
    try (InputStream err = process.getErrorStream()) {
      int n;
      while ((n = err.read(buffer)) >= 0) {
        synchronized (stderrTail) {
          stderrTail.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
          if (stderrTail.length() > STDERR_TAIL) {
            stderrTail.delete(0, stderrTail.length() - STDERR_TAIL);
          }
        }
      }
    } catch (IOException ignored) {
      // the process was destroyed
    }
  }

  @Override
  public Optional<byte[]> next() throws IOException {
    Optional<byte[]> frame = reader.next();
    if (frame.isPresent()) {
      return frame;
    }
    try {
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        String tail;
        synchronized (stderrTail) {
          tail = stderrTail.toString().strip();
        }
        throw new IOException(
            "command exited with code "
                + process.exitValue()
                + (tail.isEmpty() ? "" : "; its stderr ends: " + lastLines(tail)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return frame;
  }

  private static String lastLines(String tail) {
    String[] lines = tail.split("\\R");
    int from = Math.max(0, lines.length - 3);
    return String.join(" | ", java.util.Arrays.asList(lines).subList(from, lines.length));
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
}
