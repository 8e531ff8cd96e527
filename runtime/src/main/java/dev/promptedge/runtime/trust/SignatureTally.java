package dev.promptedge.runtime.trust;

import dev.promptedge.format.Signature;
import java.security.PublicKey;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the Ed25519 signatures over one payload count against a set of trusted keys: valid ones from
 * distinct trusted keys (a repeated key id counts once), invalid ones by trusted keys, and ones by
 * keys that are not trusted (ignored). The one place metadata and bundle signatures are counted.
 *
 * @param valid ids of trusted keys with a valid signature
 * @param invalid signatures by trusted keys that do not verify
 * @param foreign signatures by keys that are not trusted
 */
public record SignatureTally(Set<String> valid, int invalid, int foreign) {

  /** A tally; {@code valid} is copied. */
  public SignatureTally {
    valid = Set.copyOf(valid);
  }

  /**
   * Counts {@code signatures} over {@code payload}; a key counts when it is in {@code keys} and its
   * id in {@code allowed}.
   */
  public static SignatureTally of(
      byte[] payload,
      List<Signature> signatures,
      Map<String, PublicKey> keys,
      Collection<String> allowed) {
    Set<String> valid = new HashSet<>();
    int invalid = 0;
    int foreign = 0;
    for (Signature signature : signatures) {
      PublicKey key = keys.get(signature.getKeyId());
      if (key == null || !allowed.contains(signature.getKeyId())) {
        foreign++;
      } else if (Ed25519Keys.verify(key, payload, signature.getSignature().toByteArray())) {
        valid.add(signature.getKeyId());
      } else {
        invalid++;
      }
    }
    return new SignatureTally(valid, invalid, foreign);
  }

  /** "N valid signature(s) from distinct trusted keys but needs T (I invalid, F by ...)". */
  public String describe(int threshold, String foreignKeys) {
    return valid.size()
        + " valid signature(s) from distinct trusted keys but needs "
        + threshold
        + " ("
        + invalid
        + " invalid, "
        + foreign
        + " by "
        + foreignKeys
        + ")";
  }
}
