package dev.promptedge.runtime.trust;

import dev.promptedge.format.TrustedKey;
import dev.promptedge.runtime.store.Sha256;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ed25519 public keys as PromptEdge records them: X.509 (SubjectPublicKeyInfo) bytes named by the
 * lowercase hex SHA-256 of those bytes. Stateless and thread-safe.
 */
public final class Ed25519Keys {

  /** The JDK algorithm name. */
  public static final String ALGORITHM = "Ed25519";

  private Ed25519Keys() {}

  /** The key id of an X.509-encoded public key: lowercase hex SHA-256 of the encoding. */
  public static String keyId(byte[] x509) {
    return Sha256.hex(x509);
  }

  /** The key id of {@code key}. */
  public static String keyId(PublicKey key) {
    return keyId(key.getEncoded());
  }

  /**
   * Decodes an X.509-encoded Ed25519 public key.
   *
   * @throws IllegalArgumentException when the bytes are not an Ed25519 public key
   */
  public static PublicKey publicKey(byte[] x509) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("not an X.509-encoded Ed25519 public key: " + e, e);
    }
  }

  /** True when {@code signature} is a valid Ed25519 signature of {@code data} by {@code key}. */
  public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The keys a profile pins (updates.trusted_keys), by key id, each id checked against its key.
   *
   * @throws IllegalArgumentException naming the key that is not valid base64, not Ed25519, or not
   *     named by its SHA-256
   */
  public static Map<String, PublicKey> pinned(List<TrustedKey> keys) {
    Map<String, PublicKey> pinned = new LinkedHashMap<>();
    for (TrustedKey key : keys) {
      byte[] x509;
      try {
        x509 = Base64.getDecoder().decode(key.getPublicKeyBase64());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "updates.trusted_keys: key " + key.getKeyId() + " is not valid base64");
      }
      if (!keyId(x509).equals(key.getKeyId())) {
        throw new IllegalArgumentException(
            "updates.trusted_keys: key_id "
                + key.getKeyId()
                + " is not the SHA-256 of its key; paste the lines promptedge keys generate prints");
      }
      pinned.put(key.getKeyId(), publicKey(x509));
    }
    return pinned;
  }
}
