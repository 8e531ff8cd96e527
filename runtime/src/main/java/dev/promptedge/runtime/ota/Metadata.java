package dev.promptedge.runtime.ota;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.promptedge.format.PublicKey;
import dev.promptedge.format.Role;
import dev.promptedge.format.RoleKeys;
import dev.promptedge.format.Root;
import dev.promptedge.format.SignedMetadata;
import dev.promptedge.format.Snapshot;
import dev.promptedge.format.Targets;
import dev.promptedge.format.Timestamp;
import dev.promptedge.runtime.trust.Ed25519Keys;
import dev.promptedge.runtime.trust.SignatureTally;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parses metadata files and checks their signatures against a role's keys. Stateless. */
final class Metadata {

  private Metadata() {}

  /** A parsed metadata file: its envelope and its role message. */
  record Parsed<T extends Message>(SignedMetadata envelope, T payload, byte[] bytes) {}

  interface PayloadParser<T> {
    T parse(byte[] bytes) throws InvalidProtocolBufferException;
  }

  static Parsed<Root> root(byte[] bytes, String file) {
    Parsed<Root> parsed = parse(bytes, file, Root::parseFrom);
    Root root = parsed.payload();
    check(file, root.getFormatVersion(), root.getRole(), Role.ROOT);
    keyring(root, file);
    for (RoleKeys keys :
        List.of(root.getRoot(), root.getTargets(), root.getSnapshot(), root.getTimestamp())) {
      if (keys.getThreshold() < 1 || keys.getKeyIdsCount() < keys.getThreshold()) {
        throw format(
            file,
            "a role has threshold "
                + keys.getThreshold()
                + " with "
                + keys.getKeyIdsCount()
                + " key(s); every role needs 1 <= threshold <= keys");
      }
    }
    return parsed;
  }

  static Parsed<Timestamp> timestamp(byte[] bytes, String file) {
    Parsed<Timestamp> parsed = parse(bytes, file, Timestamp::parseFrom);
    Timestamp t = parsed.payload();
    check(file, t.getFormatVersion(), t.getRole(), Role.TIMESTAMP);
    return parsed;
  }

  static Parsed<Snapshot> snapshot(byte[] bytes, String file) {
    Parsed<Snapshot> parsed = parse(bytes, file, Snapshot::parseFrom);
    Snapshot s = parsed.payload();
    check(file, s.getFormatVersion(), s.getRole(), Role.SNAPSHOT);
    return parsed;
  }

  static Parsed<Targets> targets(byte[] bytes, String file) {
    Parsed<Targets> parsed = parse(bytes, file, Targets::parseFrom);
    Targets t = parsed.payload();
    check(file, t.getFormatVersion(), t.getRole(), Role.TARGETS);
    return parsed;
  }

  private static <T extends Message> Parsed<T> parse(
      byte[] bytes, String file, PayloadParser<T> parser) {
    SignedMetadata envelope;
    try {
      envelope = SignedMetadata.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw format(file, "it does not parse as SignedMetadata");
    }
    if (envelope.getFormatVersion() != RepositoryLayout.FORMAT_VERSION) {
      throw format(file, "SignedMetadata format_version " + envelope.getFormatVersion());
    }
    try {
      return new Parsed<>(envelope, parser.parse(envelope.getPayload().toByteArray()), bytes);
    } catch (InvalidProtocolBufferException e) {
      throw format(file, "its payload does not parse");
    }
  }

  private static void check(String file, int formatVersion, Role role, Role expected) {
    if (formatVersion != RepositoryLayout.FORMAT_VERSION) {
      throw format(file, role + " format_version " + formatVersion);
    }
    if (role != expected) {
      throw format(file, "it holds " + role + " metadata where " + expected + " was expected");
    }
  }

  private static UpdateException format(String file, String what) {
    return new UpdateException(
        "format",
        file
            + " is not valid "
            + RepositoryLayout.FORMAT_VERSION
            + "-format update metadata: "
            + what
            + "; republish it with promptedge repo publish (or update PromptEdge on the device)");
  }

  /** The public keys a root lists, by key id, each id checked against its key. */
  static Map<String, java.security.PublicKey> keyring(Root root, String file) {
    Map<String, java.security.PublicKey> keys = new HashMap<>();
    for (PublicKey key : root.getKeysList()) {
      byte[] x509 = key.getPublicKeyX509().toByteArray();
      if (!Ed25519Keys.keyId(x509).equals(key.getKeyId())) {
        throw format(file, "key id " + key.getKeyId() + " is not the SHA-256 of its key");
      }
      try {
        keys.put(key.getKeyId(), Ed25519Keys.publicKey(x509));
      } catch (IllegalArgumentException e) {
        throw format(file, "key " + key.getKeyId() + " is not an Ed25519 key");
      }
    }
    return keys;
  }

  /**
   * Checks that at least {@code threshold} distinct keys of {@code allowed} (found in {@code keys})
   * signed the payload; signatures by other keys and repeated key ids do not count.
   */
  static void verify(
      SignedMetadata envelope,
      Map<String, java.security.PublicKey> keys,
      List<String> allowed,
      int threshold,
      String what) {
    SignatureTally tally =
        SignatureTally.of(
            envelope.getPayload().toByteArray(), envelope.getSignaturesList(), keys, allowed);
    int needed = Math.max(1, threshold);
    if (tally.valid().size() < needed) {
      throw new UpdateException(
          "signature",
          what
              + " has "
              + tally.describe(needed, "keys the role does not trust")
              + ": refused; sign it with the role's keys");
    }
  }

  static void verify(Parsed<?> parsed, Root root, RoleKeys role, String what) {
    verify(
        parsed.envelope(),
        keyring(root, "root v" + root.getVersion()),
        role.getKeyIdsList(),
        role.getThreshold(),
        what);
  }
}
