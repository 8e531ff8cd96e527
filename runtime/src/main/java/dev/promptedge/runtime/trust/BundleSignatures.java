package dev.promptedge.runtime.trust;

import dev.promptedge.format.SignedBundle;
import dev.promptedge.format.TrustedKey;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleReader;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Checks the Ed25519 signatures of a {@code SignedBundle} before anything else reads it: at least
 * {@code threshold} valid signatures from distinct trusted keys (a repeated key id counts once,
 * unknown keys are ignored). Trusted are the keys the profile pins (updates.trusted_keys) and the
 * repository's keys (in {@code promptedged} the targets role's keys of the root the update client
 * trusts, asked at each check so that a key rotation is followed). Thread-safe when the repository
 * keys' source is. The daemon reaches it through {@link UploadTrust}.
 */
final class BundleSignatures {

  private final Map<String, PublicKey> pinned;
  private final int threshold;
  private final Supplier<Map<String, PublicKey>> repositoryKeys;
  private final long maxBytes;

  private BundleSignatures(
      Map<String, PublicKey> pinned,
      int threshold,
      Supplier<Map<String, PublicKey>> repositoryKeys,
      long maxBytes) {
    this.pinned = Map.copyOf(pinned);
    this.threshold = threshold;
    this.repositoryKeys = repositoryKeys;
    this.maxBytes = maxBytes;
  }

  /**
   * A check against {@code pinned} keys and the keys {@code repositoryKeys} gives at each check.
   *
   * @param threshold signatures from distinct trusted keys required; 0 means 1
   * @param repositoryKeys keys trusted besides the pinned ones, by key id (e.g. {@code
   *     UpdateClient.trustedTargetsKeys(store)})
   * @param maxBytes largest bundle accepted (store.max_bundle_bytes)
   * @throws IllegalArgumentException when a pinned key is not valid or the threshold is negative
   */
  static BundleSignatures of(
      List<TrustedKey> pinned,
      int threshold,
      Supplier<Map<String, PublicKey>> repositoryKeys,
      long maxBytes) {
    if (threshold < 0) {
      throw new IllegalArgumentException("bundle signature threshold must not be negative");
    }
    return new BundleSignatures(
        Ed25519Keys.pinned(pinned), Math.max(1, threshold), repositoryKeys, maxBytes);
  }

  /** Signatures from distinct trusted keys a bundle needs. */
  public int threshold() {
    return threshold;
  }

  /** Ids of the keys trusted now: the pinned ones, then the repository's. */
  public Set<String> trustedKeyIds() {
    return trusted().keySet();
  }

  /**
   * Accepts {@code bytes} (a serialized {@code SignedBundle}) only when enough trusted keys signed
   * its payload; only the envelope is parsed before the signatures are checked.
   *
   * @throws BundleException {@code unsigned} when it carries no signature, {@code signature} when
   *     too few valid ones come from trusted keys, or the envelope's own format codes
   */
  public void verify(byte[] bytes) {
    SignedBundle envelope = BundleReader.envelope(bytes, maxBytes);
    String fix =
        "sign it with promptedge bundle sign --key KEY --in FILE using a key pinned in the"
            + " profile's updates.trusted_keys (or the update repository's targets key)";
    if (envelope.getSignaturesCount() == 0) {
      throw new BundleException(
          "unsigned", "the bundle carries no signature and this device requires one: " + fix);
    }
    Map<String, PublicKey> keys = trusted();
    SignatureTally tally =
        SignatureTally.of(
            envelope.getBundle().toByteArray(), envelope.getSignaturesList(), keys, keys.keySet());
    if (tally.valid().size() < threshold) {
      throw new BundleException(
          "signature",
          "the bundle has "
              + tally.describe(threshold, "keys this device does not trust")
              + ": refused; "
              + fix);
    }
  }

  private Map<String, PublicKey> trusted() {
    Map<String, PublicKey> keys = new LinkedHashMap<>(pinned);
    repositoryKeys.get().forEach(keys::putIfAbsent);
    return keys;
  }
}
