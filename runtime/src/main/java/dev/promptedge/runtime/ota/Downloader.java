package dev.promptedge.runtime.ota;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fetches files of one repository with a byte cap per file, connect and read timeouts and a total
 * time cap enforced by a watchdog that drops the connection. Thread-safe.
 */
final class Downloader {

  private final URI base;
  private final DownloadLimits limits;
  private final ScheduledExecutorService watchdog;

  Downloader(URI base, DownloadLimits limits, ScheduledExecutorService watchdog) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.limits = limits;
    this.watchdog = watchdog;
  }

  /** The file at {@code path}, at most {@code cap} bytes; refuses a missing file. */
  byte[] fetch(String path, long cap) {
    return fetchIfPresent(path, cap)
        .orElseThrow(
            () ->
                new UpdateException(
                    "download",
                    base.resolve(path) + " is missing (HTTP 404): publish the repository again"));
  }

  /** The file at {@code path}, at most {@code cap} bytes, or empty on HTTP 404. */
  Optional<byte[]> fetchIfPresent(String path, long cap) {
    URI uri = resolve(path);
    HttpURLConnection connection;
    try {
      connection = (HttpURLConnection) uri.toURL().openConnection();
    } catch (IOException | IllegalArgumentException | ClassCastException e) {
      throw new UpdateException("download", "cannot open " + uri + ": " + e.getMessage());
    }
    connection.setConnectTimeout((int) limits.connectTimeout().toMillis());
    connection.setReadTimeout((int) limits.readTimeout().toMillis());
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setRequestProperty("Connection", "close");
    AtomicBoolean late = new AtomicBoolean();
    long deadline = System.nanoTime() + limits.totalTimeout().toNanos();
    ScheduledFuture<?> kill =
        watchdog.schedule(
            () -> {
              late.set(true);
              connection.disconnect();
            },
            limits.totalTimeout().toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      int status = connection.getResponseCode();
      if (status == HttpURLConnection.HTTP_NOT_FOUND) {
        return Optional.empty();
      }
      if (status != HttpURLConnection.HTTP_OK) {
        throw new UpdateException(
            "download", uri + " answered HTTP " + status + ": check updates.channel_url");
      }
      long declared = connection.getContentLengthLong();
      if (declared > cap) {
        throw tooLarge(uri, declared, cap);
      }
      try (InputStream in = connection.getInputStream()) {
        return Optional.of(read(in, uri, cap, deadline));
      }
    } catch (SocketTimeoutException e) {
      throw slow(uri, "no data for " + limits.readTimeout().toMillis() + " ms");
    } catch (IOException e) {
      if (late.get()) {
        throw slow(uri, "over " + limits.totalTimeout().toMillis() + " ms in total");
      }
      throw new UpdateException("download", "cannot fetch " + uri + ": " + e);
    } finally {
      kill.cancel(false);
      connection.disconnect();
    }
  }

  private byte[] read(InputStream in, URI uri, long cap, long deadline) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    while (true) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, cap + 1 - out.size()));
      if (n < 0) {
        return out.toByteArray();
      }
      out.write(buffer, 0, n);
      if (out.size() > cap) {
        throw tooLarge(uri, out.size(), cap);
      }
      if (System.nanoTime() - deadline > 0) {
        throw slow(uri, "over " + limits.totalTimeout().toMillis() + " ms in total");
      }
    }
  }

  private URI resolve(String path) {
    if (path.isEmpty()
        || path.startsWith("/")
        || path.contains("\\")
        || path.contains("..")
        || path.contains(":")
        || path.contains("?")
        || path.contains("#")) {
      throw new UpdateException(
          "format", "'" + path + "' is not a relative path inside the repository: refused");
    }
    return base.resolve(path);
  }

  private static UpdateException tooLarge(URI uri, long size, long cap) {
    return new UpdateException(
        "too_large",
        uri + " sends " + size + "+ bytes, over the cap of " + cap + " bytes: download stopped");
  }

  private static UpdateException slow(URI uri, String what) {
    return new UpdateException(
        "slow_retrieval", uri + " was too slow (" + what + "): download stopped, retry later");
  }
}
