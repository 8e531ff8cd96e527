package dev.promptedge.runtime.trust;

import dev.promptedge.runtime.bundle.BundleException;

/**
 * Decides whether bundle bytes from outside (an upload or an update) may be installed, before the
 * engine's own checks and self-test run. {@code promptedged} checks Ed25519 signatures here ({@link
 * BundleSignatures}) when the profile pins keys, as its {@link UploadTrust} says. Implementations
 * are thread-safe.
 */
@FunctionalInterface
public interface BundleVerifier {

  /** Accepts every bundle: the engine's format checks and self-test still apply. */
  BundleVerifier UNVERIFIED = bytes -> {};

  /**
   * Checks {@code bytes} (a serialized {@code SignedBundle}).
   *
   * @throws BundleException with a stable code when the bundle must be refused
   */
  void verify(byte[] bytes);
}
