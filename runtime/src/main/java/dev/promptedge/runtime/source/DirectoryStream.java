package dev.promptedge.runtime.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A watched directory: each image file (.jpg, .jpeg, .png) that appears is one frame, taken in name
 * order. Files present when the source starts are skipped; a file is read once its size stops
 * changing; a file too large or unreadable is one refused frame. Remembers only names still
 * present.
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
    Path dir = Path.of(spec.url().substring("dir:".length()).trim());
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
  public boolean live() {
    return false;
  }

  @Override
  public Optional<byte[]> next() throws IOException {
    while (!closed) {
      Set<Path> present = list();
      seen.retainAll(present);
      Map<Path, Long> sizes = new TreeMap<>();
      for (Path p : present) {
        if (!seen.contains(p)) {
          sizes.put(p, sizeOf(p));
        }
      }
      sleep();
      for (Map.Entry<Path, Long> e : sizes.entrySet()) {
        long size = e.getValue();
        if (size > 0 && sizeOf(e.getKey()) == size) {
          seen.add(e.getKey());
          return Optional.of(read(e.getKey(), size));
        }
      }
    }
    return Optional.empty();
  }

  private byte[] read(Path p, long size) throws IOException {
    if (size > maxFrameBytes) {
      throw new BadFrameException(
          p.getFileName() + " has " + size + " bytes, more than max_frame_bytes " + maxFrameBytes);
    }
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new BadFrameException("cannot read " + p.getFileName() + ": " + e);
    }
  }

  /** The file's size, or -1 when it is gone. */
  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
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
