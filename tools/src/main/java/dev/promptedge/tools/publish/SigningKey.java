package dev.promptedge.tools.publish;

import com.google.protobuf.ByteString;
import dev.promptedge.format.Signature;
import dev.promptedge.format.TrustedKey;
import dev.promptedge.runtime.trust.Ed25519Keys;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

/**
 * An Ed25519 key pair that signs bundles and repository metadata. Immutable and thread-safe.
 *
 * @param privateKey the private key
 * @param publicKey its public key
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey) {

  /** The key id: lowercase hex SHA-256 of the X.509 encoding of the public key. */
  public String keyId() {
    return Ed25519Keys.keyId(publicKey);
  }

  /** An Ed25519 signature of {@code data} with this key's id. */
  public Signature sign(byte[] data) {
    try {
      java.security.Signature signer = java.security.Signature.getInstance(Ed25519Keys.ALGORITHM);
      signer.initSign(privateKey);
      signer.update(data);
      return Signature.newBuilder()
          .setKeyId(keyId())
          .setSignature(ByteString.copyFrom(signer.sign()))
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with Ed25519 key " + keyId() + ": " + e, e);
    }
  }

  /** The public key as a device profile pins it (updates.trusted_keys). */
  public TrustedKey trustedKey() {
    return TrustedKey.newBuilder()
        .setKeyId(keyId())
        .setPublicKeyBase64(Base64.getEncoder().encodeToString(publicKey.getEncoded()))
        .build();
  }

  /** The text to paste into a DeviceConfig's {@code updates} block. */
  public String trustedKeyText() {
    TrustedKey key = trustedKey();
    return "trusted_keys {\n  key_id: \""
        + key.getKeyId()
        + "\"\n  public_key_base64: \""
        + key.getPublicKeyBase64()
        + "\"\n}";
  }

  @Override
  public String toString() {
    return "SigningKey[" + keyId() + "]";
  }
}
