package dev.promptedge.runtime.ota;

import dev.promptedge.runtime.store.Sha256;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

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
}
