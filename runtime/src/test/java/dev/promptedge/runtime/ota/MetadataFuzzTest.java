package dev.promptedge.runtime.ota;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.promptedge.format.MetaFile;
import dev.promptedge.format.PublicKey;
import dev.promptedge.format.Role;
import dev.promptedge.format.RoleKeys;
import dev.promptedge.format.Root;
import dev.promptedge.format.Signature;
import dev.promptedge.format.SignedMetadata;
import dev.promptedge.format.Snapshot;
import dev.promptedge.format.TargetBundle;
import dev.promptedge.format.Targets;
import dev.promptedge.format.Timestamp;
import dev.promptedge.runtime.fuzz.Mutator;
import dev.promptedge.runtime.trust.Ed25519Keys;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the update metadata reader: the same bytes read as root, timestamp, snapshot and
 * targets (and a root's signatures checked against its own keys) give metadata or an {@link
 * UpdateException}, nothing else. Jazzer runs {@link #read} over the checked-in inputs under {@code
 * mvn test} and fuzzes it with {@code JAZZER_FUZZ=1}; the seeded mutation loops run without it.
 */
class MetadataFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void read(byte[] data) {
    try {
      target(data);
    } catch (UpdateException expected) {
      // The documented refusal.
    }
  }

  static void target(byte[] data) {
    try {
      Metadata.Parsed<Root> root = Metadata.root(data, "fuzz");
      Metadata.verify(root, root.payload(), root.payload().getRoot(), "fuzz");
    } catch (UpdateException e) {
      // Go on with the other roles.
    }
    try {
      Metadata.timestamp(data, "fuzz");
    } catch (UpdateException e) {
      // Go on.
    }
    try {
      Metadata.snapshot(data, "fuzz");
    } catch (UpdateException e) {
      // Go on.
    }
    Metadata.targets(data, "fuzz");
  }

  static List<byte[]> seeds() {
    KeyPair key;
    java.security.Signature signer;
    try {
      key = KeyPairGenerator.getInstance(Ed25519Keys.ALGORITHM).generateKeyPair();
      signer = java.security.Signature.getInstance(Ed25519Keys.ALGORITHM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    byte[] x509 = key.getPublic().getEncoded();
    String id = Ed25519Keys.keyId(x509);
    RoleKeys one = RoleKeys.newBuilder().addKeyIds(id).setThreshold(1).build();
    Root root =
        Root.newBuilder()
            .setFormatVersion(1)
            .setRole(Role.ROOT)
            .setVersion(1)
            .setIssuedEpochSeconds(1_900_000_000L)
            .setExpiresEpochSeconds(1_990_000_000L)
            .addKeys(
                PublicKey.newBuilder().setKeyId(id).setPublicKeyX509(ByteString.copyFrom(x509)))
            .setRoot(one)
            .setTargets(one)
            .setSnapshot(one)
            .setTimestamp(one)
            .build();
    MetaFile meta =
        MetaFile.newBuilder().setVersion(2).setSha256("ab".repeat(32)).setLength(99).build();
    Timestamp timestamp =
        Timestamp.newBuilder()
            .setFormatVersion(1)
            .setRole(Role.TIMESTAMP)
            .setVersion(3)
            .setSnapshot(meta)
            .build();
    Snapshot snapshot =
        Snapshot.newBuilder().setFormatVersion(1).setRole(Role.SNAPSHOT).setTargets(meta).build();
    Targets targets =
        Targets.newBuilder()
            .setFormatVersion(1)
            .setRole(Role.TARGETS)
            .setVersion(2)
            .addBundles(
                TargetBundle.newBuilder()
                    .setName("shapes")
                    .setVersion(4)
                    .setSha256("cd".repeat(32))
                    .setLength(1234)
                    .setPath("bundles/shapes.v4.bundle")
                    .addCompatibleBoards("raspberry-pi-5"))
            .build();
    return List.of(
        signed(root, key, signer, id),
        signed(timestamp, key, signer, id),
        signed(snapshot, key, signer, id),
        signed(targets, key, signer, id));
  }

  private static byte[] signed(
      Message payload, KeyPair key, java.security.Signature signer, String id) {
    try {
      signer.initSign(key.getPrivate());
      signer.update(payload.toByteArray());
      return SignedMetadata.newBuilder()
          .setFormatVersion(1)
          .setPayload(payload.toByteString())
          .addSignatures(
              Signature.newBuilder().setKeyId(id).setSignature(ByteString.copyFrom(signer.sign())))
          .build()
          .toByteArray();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void mutantsOfValidMetadataOnlyThrowUpdateException() {
    Mutator.run(seeds(), 1, 3_000, UpdateException.class, MetadataFuzzTest::target);
  }

  @Test
  @Tag("slow")
  void manyMutantsOfValidMetadataOnlyThrowUpdateException() {
    Mutator.run(seeds(), 2, 300_000, UpdateException.class, MetadataFuzzTest::target);
  }

  @Test
  void theSeedsAreValidMetadata() {
    List<byte[]> seeds = seeds();
    Metadata.Parsed<Root> root = Metadata.root(seeds.get(0), "seed");
    Metadata.verify(root, root.payload(), root.payload().getRoot(), "seed");
    Map.of(
            1, (Runnable) () -> Metadata.timestamp(seeds.get(1), "seed"),
            2, () -> Metadata.snapshot(seeds.get(2), "seed"),
            3, () -> Metadata.targets(seeds.get(3), "seed"))
        .values()
        .forEach(Runnable::run);
  }
}
