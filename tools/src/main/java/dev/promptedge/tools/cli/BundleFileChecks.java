package dev.promptedge.tools.cli;

import dev.promptedge.runtime.bundle.BundleException;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Bundle checks on a file the user named, so that a refusal names the file. Stateless. */
final class BundleFileChecks {

  private BundleFileChecks() {}

  /**
   * Runs {@code check}; a refusal is thrown again with {@code file} and the code in its message.
   */
  static <T> T named(Path file, Supplier<T> check) {
    try {
      return check.get();
    } catch (BundleException e) {
      throw new BundleException(e.code(), file + ": " + e.getMessage() + " [" + e.code() + "]");
    }
  }
}
