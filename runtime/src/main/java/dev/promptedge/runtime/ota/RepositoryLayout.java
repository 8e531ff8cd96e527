package dev.promptedge.runtime.ota;

/**
 * The file names of an update repository, relative to its channel URL; shared by the publisher and
 * the device so that both name files in one place.
 */
public final class RepositoryLayout {

  /** Format version of the repository's messages this runtime reads and writes. */
  public static final int FORMAT_VERSION = 1;

  /** A copy of the newest root, for people and tools; devices walk {@link #root(long)}. */
  public static final String LATEST_ROOT = "root.pb";

  /** The timestamp metadata, the one file fetched without a version. */
  public static final String TIMESTAMP = "timestamp.pb";

  /** Folder of the bundle files. */
  public static final String BUNDLES = "bundles";

  private RepositoryLayout() {}

  /** Root metadata version {@code version}. */
  public static String root(long version) {
    return version + ".root.pb";
  }

  /** Snapshot metadata version {@code version}. */
  public static String snapshot(long version) {
    return version + ".snapshot.pb";
  }

  /** Targets metadata version {@code version}. */
  public static String targets(long version) {
    return version + ".targets.pb";
  }

  /** Path of a bundle file. */
  public static String bundle(String name, long version) {
    return BUNDLES + "/" + name + ".v" + version + ".bundle";
  }
}
