package dev.promptedge.runtime.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A watched directory: each image file that appears is one frame, taken in name order. Files
 * present when the source starts are skipped; a file is read once its size stops changing.
 */
final class DirectoryStream implements FrameStream {
  private static final long POLL_MILLIS = 50;
  private final Path dir;
  private final int maxFrameBytes;
  private final Set<Path> seen = new HashSet<>();
  private volatile boolean closed;

  private DirectoryStream(Path dir, int maxFrameBytes) throws IOException {
    this.dir = dir;
    this.maxFrameBytes = maxFrameBytes;
    seen.addAll(list());
  }

  static DirectoryStream open(SourceSpec spec) throws IOException {
    Path dir = Path.of(spec.url().substring("dir:".length()));
    if (!Files.isDirectory(dir)) {
      throw new IOException("source " + spec.name() + ": " + dir + " is not a directory");
    }
    return new DirectoryStream(dir, spec.maxFrameBytes());
  }

  private Set<Path> list() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      Set<Path> out = new HashSet<>();
      s.filter(p -> isImage(p.getFileName().toString())).forEach(out::add);
      return out;
    }
  }

  private static boolean isImage(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return !n.startsWith(".") && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
  }

  @Override
  public Optional<byte[]> next() throws IOException {
    while (!closed) {
      Optional<Path> fresh = list().stream().filter(p -> !seen.contains(p)).sorted().findFirst();
      if (fresh.isPresent() && settled(fresh.get())) {
        Path p = fresh.get();
        seen.add(p);
        long size = Files.size(p);
        if (size > maxFrameBytes) {
          throw new MjpegReader.FrameTooLargeException(maxFrameBytes);
        }
        return Optional.of(Files.readAllBytes(p));
      }
      sleep();
    }
    return Optional.empty();
  }

  private boolean settled(Path p) throws IOException {
    long before = Files.size(p);
    sleep();
    return Files.exists(p) && Files.size(p) == before && before > 0;
  }

  private static void sleep() throws IOException {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while watching a directory");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
