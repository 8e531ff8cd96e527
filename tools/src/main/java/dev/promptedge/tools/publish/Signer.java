package dev.promptedge.tools.publish;

import com.google.protobuf.Message;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.format.SignedMetadata;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.ota.RepositoryLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Signs repository metadata and bundles with Ed25519 keys. Stateless. */
public final class Signer {

  private Signer() {}

  /** A serialized {@link SignedMetadata} of {@code payload}, one signature per distinct key. */
  public static byte[] metadata(Message payload, List<SigningKey> keys) {
    byte[] bytes = payload.toByteArray();
    Map<String, SigningKey> distinct = new LinkedHashMap<>();
    keys.forEach(k -> distinct.putIfAbsent(k.keyId(), k));
    SignedMetadata.Builder envelope =
        SignedMetadata.newBuilder()
            .setFormatVersion(RepositoryLayout.FORMAT_VERSION)
            .setPayload(payload.toByteString());
    distinct.values().forEach(k -> envelope.addSignatures(k.sign(bytes)));
    return envelope.build().toByteArray();
  }

  /**
   * Adds {@code key}'s signature to a serialized {@link SignedBundle}; a signature by the same key
   * is replaced, so signing twice gives the same bytes.
   *
   * @throws dev.promptedge.runtime.bundle.BundleException when the bytes are not a bundle
   */
  public static byte[] bundle(byte[] bundle, SigningKey key) {
    SignedBundle envelope = BundleReader.parse(bundle, Long.MAX_VALUE).envelope();
    SignedBundle.Builder signed = envelope.toBuilder().clearSignatures();
    envelope.getSignaturesList().stream()
        .filter(s -> !s.getKeyId().equals(key.keyId()))
        .forEach(signed::addSignatures);
    signed.addSignatures(key.sign(envelope.getBundle().toByteArray()));
    return signed.build().toByteArray();
  }
}
