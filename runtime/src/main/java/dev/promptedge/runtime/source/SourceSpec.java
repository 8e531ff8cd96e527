package dev.promptedge.runtime.source;

import java.util.List;

/**
 * A camera or other frame source: {@code http://...} (MJPEG), {@code exec:COMMAND ARGS} (stdout is
 * MJPEG) or {@code dir:/path} (new image files); {@code fps} 0 means uncapped, empty tasks means
 * every installed task.
 */
public record SourceSpec(
    String name, String url, double fps, List<String> tasks, int maxFrameBytes) {
  /** Default bound on one frame's size. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;

  public SourceSpec {
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException(
          "source name must be 1-64 of [A-Za-z0-9_.-], got: " + name);
    }
    if (url == null
        || !(url.startsWith("http://") || url.startsWith("exec:") || url.startsWith("dir:"))) {
      throw new IllegalArgumentException(
          "source " + name + ": url must start with http://, exec: or dir:, got: " + url);
    }
    if (fps < 0) {
      throw new IllegalArgumentException("source " + name + ": fps must be >= 0, got " + fps);
    }
    tasks = List.copyOf(tasks);
    maxFrameBytes = maxFrameBytes <= 0 ? DEFAULT_MAX_FRAME_BYTES : maxFrameBytes;
  }
}
