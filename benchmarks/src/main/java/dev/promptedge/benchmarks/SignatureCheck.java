package dev.promptedge.benchmarks;

import dev.promptedge.format.Signature;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.trust.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;

/**
 * The Ed25519 check a device makes on a signed bundle before it installs it: parse the envelope,
 * find the pinned key's signature, verify it over the bundle bytes with the runtime's {@link
 * Ed25519Keys}. Immutable and thread-safe.
 */
final class SignatureCheck {

  private final PublicKey key;
  private final String keyId;

  private SignatureCheck(PublicKey key) {
    this.key = key;
    this.keyId = Ed25519Keys.keyId(key);
  }

  /** Pins the X.509 PEM public key in {@code file}. */
  static SignatureCheck pinned(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return new SignatureCheck(Ed25519Keys.publicKey(Base64.getMimeDecoder().decode(base64)));
  }

  /** Throws unless {@code signedBundle} carries a valid signature by the pinned key. */
  void verify(byte[] signedBundle) {
    SignedBundle envelope;
    try {
      envelope = SignedBundle.parseFrom(signedBundle);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new BundleException("corrupt", "not a SignedBundle: " + e.getMessage());
    }
    byte[] payload = envelope.getBundle().toByteArray();
    for (Signature s : envelope.getSignaturesList()) {
      if (s.getKeyId().equals(keyId)
          && Ed25519Keys.verify(key, payload, s.getSignature().toByteArray())) {
        return;
      }
    }
    throw new BundleException("bad_signature", "no valid signature by key " + keyId);
  }
}
