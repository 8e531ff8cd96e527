package dev.promptedge.runtime.bundle;

import java.util.regex.Pattern;

/**
 * The one rule for task (bundle) names, wherever a name comes from — inside a bundle, a request
 * path or body, a query — and the largest bundle version a device accepts. A name is also a file
 * name in the store, so it is checked before it reaches the file system.
 */
public final class BundleNames {

  /** Longest name, characters. */
  public static final int MAX_LENGTH = 64;

  /**
   * Largest accepted bundle version: versions are uint64 on the wire, compared as Java longs on the
   * device, so versions of 2^63 and above are refused rather than read as negative.
   */
  public static final long MAX_VERSION = Long.MAX_VALUE;

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final int SHOWN = 40;

  private BundleNames() {}

  /**
   * Checks {@code name}; {@code what} says where it came from, e.g. "bundle name".
   *
   * @throws BundleException with code {@code bad_name} when it is not 1-64 lowercase letters,
   *     digits, '-' or '_', starting with a letter or digit
   */
  public static void check(String name, String what) {
    if (!NAME.matcher(name).matches()) {
      String shown =
          name.length() <= SHOWN
              ? name
              : name.substring(0, SHOWN) + "...' (" + name.length() + " characters";
      throw new BundleException(
          "bad_name",
          what
              + " '"
              + shown
              + (name.length() <= SHOWN ? "'" : ")")
              + " is not valid: use 1-"
              + MAX_LENGTH
              + " lowercase letters, digits, '-' or '_', starting with a letter or digit");
    }
  }

  /**
   * Checks a bundle's version.
   *
   * @throws BundleException with code {@code bad_version} when it is 2^63 or more
   */
  public static void checkVersion(String name, long version) {
    if (version < 0) {
      throw new BundleException(
          "bad_version",
          "bundle '"
              + name
              + "' v"
              + Long.toUnsignedString(version)
              + " is above the largest version a device accepts ("
              + MAX_VERSION
              + "): pack it with a smaller --bundle-version");
    }
  }
}
