package dev.promptedge.runtime.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * A camera or other frame source: {@code http://} or {@code https://} (MJPEG; user and password in
 * the url are sent as HTTP basic authentication), {@code exec:COMMAND ARGS} (stdout is MJPEG) or
 * {@code dir:/path} (new image files); {@code fps} 0 means uncapped, empty tasks means every
 * installed task. Immutable.
 */
public record SourceSpec(
    String name, String url, double fps, List<String> tasks, int maxFrameBytes) {
  /** Default bound on one frame's size. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;

  /** Upper limit of {@code maxFrameBytes}: one frame a source holds while it reads the next. */
  public static final int LIMIT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

  /**
   * Checks the values; a bad one is an {@link IllegalArgumentException} naming it.
   *
   * @param maxFrameBytes 0 for {@link #DEFAULT_MAX_FRAME_BYTES}
   */
  public SourceSpec {
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException(
          "source name must be 1-64 of [A-Za-z0-9_.-], got: " + name);
    }
    if (url == null || scheme(url).isEmpty()) {
      throw new IllegalArgumentException(
          "source " + name + ": url must start with http://, https://, exec: or dir:, got: " + url);
    }
    if (url.substring(scheme(url).length()).isBlank()) {
      throw new IllegalArgumentException(
          "source "
              + name
              + ": url "
              + url
              + " names no "
              + (url.startsWith("exec:")
                  ? "command"
                  : url.startsWith("dir:") ? "directory" : "host"));
    }
    if (url.startsWith("http")) {
      checkHttp(name, url);
    }
    if (!Double.isFinite(fps) || fps < 0 || fps > 1000) {
      throw new IllegalArgumentException(
          "source " + name + ": fps must be 0 (uncapped) up to 1000, got " + fps);
    }
    tasks = List.copyOf(tasks);
    for (String task : tasks) {
      if (task.isBlank()) {
        throw new IllegalArgumentException("source " + name + ": a task name is empty");
      }
    }
    if (new java.util.HashSet<>(tasks).size() < tasks.size()) {
      throw new IllegalArgumentException(
          "source " + name + ": tasks " + tasks + " name a task twice; name each once");
    }
    if (maxFrameBytes < 0 || maxFrameBytes > LIMIT_MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "source "
              + name
              + ": max_frame_bytes must be 0 (8 MiB) up to "
              + LIMIT_MAX_FRAME_BYTES
              + ", got "
              + maxFrameBytes);
    }
    maxFrameBytes = maxFrameBytes == 0 ? DEFAULT_MAX_FRAME_BYTES : maxFrameBytes;
  }

  /** A spec with the default frame size bound. */
  public SourceSpec(String name, String url, double fps, List<String> tasks) {
    this(name, url, fps, tasks, 0);
  }

  private static void checkHttp(String name, String url) {
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("source " + name + ": url names no host");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "source "
              + name
              + ": url is not a valid URL ("
              + e.getReason()
              + " at index "
              + e.getIndex()
              + ")");
    }
  }

  /**
   * The url as shown in logs, status and metrics: an http(s) url's user and password (as in {@code
   * http://user:secret@camera/mjpeg}) become {@code ***}.
   */
  public String displayUrl() {
    if (!url.startsWith("http")) {
      return url;
    }
    int start = url.indexOf("://") + 3;
    int slash = url.indexOf('/', start);
    int at = url.lastIndexOf('@', slash < 0 ? url.length() : slash);
    return at < start ? url : url.substring(0, start) + "***" + url.substring(at);
  }

  /** The url's scheme prefix ({@code "http://"}, {@code "exec:"} ...), or empty if unsupported. */
  static String scheme(String url) {
    for (String s : List.of("http://", "https://", "exec:", "dir:")) {
      if (url.startsWith(s)) {
        return s;
      }
    }
    return "";
  }
}
