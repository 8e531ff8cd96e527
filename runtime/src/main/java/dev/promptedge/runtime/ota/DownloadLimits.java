package dev.promptedge.runtime.ota;

import java.time.Duration;

/**
 * Bounds of every download, against endless data and slow retrieval.
 *
 * @param connectTimeout longest wait for a TCP connection
 * @param readTimeout longest wait for any bytes while a response is read
 * @param totalTimeout longest time one download may take from connect to last byte
 * @param maxMetadataBytes largest metadata file (root, timestamp; snapshot and targets are capped
 *     by the length their parent role declares, and by this)
 * @param maxBundleBytes largest bundle file (store.max_bundle_bytes); a bundle is also capped by
 *     the length targets declares
 */
public record DownloadLimits(
    Duration connectTimeout,
    Duration readTimeout,
    Duration totalTimeout,
    long maxMetadataBytes,
    long maxBundleBytes) {

  /** Default metadata cap: 1 MiB. */
  public static final long DEFAULT_MAX_METADATA_BYTES = 1L << 20;

  public DownloadLimits {
    for (Duration d : new Duration[] {connectTimeout, readTimeout, totalTimeout}) {
      if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("download timeouts must be positive, got " + d);
      }
    }
    if (maxMetadataBytes <= 0 || maxBundleBytes <= 0) {
      throw new IllegalArgumentException("download caps must be positive");
    }
  }

  /** 10 s to connect, 30 s without data, 5 min per download, 1 MiB metadata. */
  public static DownloadLimits defaults(long maxBundleBytes) {
    return new DownloadLimits(
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        DEFAULT_MAX_METADATA_BYTES,
        maxBundleBytes);
  }
}
