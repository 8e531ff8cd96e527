package dev.promptedge.runtime.bundle;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SignedBundle;

/**
 * A bundle that passed {@link BundleReader}'s checks: the envelope as it arrived and the bundle it
 * carries. Immutable.
 *
 * @param envelope the signed envelope, whose bytes are what is stored and verified
 * @param bundle the prompt bundle inside it
 * @param sizeBytes size of the serialized envelope
 */
public record Bundle(SignedBundle envelope, PromptBundle bundle, long sizeBytes) {

  /** The bundle's task name. */
  public String name() {
    return bundle.getName();
  }

  /** The bundle's version. */
  public long version() {
    return bundle.getVersion();
  }

  /** The serialized envelope, as written to the store. */
  public byte[] toBytes() {
    return envelope.toByteArray();
  }
}
