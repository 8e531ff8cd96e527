package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.promptedge.format.PublicKey;
import dev.promptedge.format.Role;
import dev.promptedge.format.Root;
import dev.promptedge.format.SignedMetadata;
import dev.promptedge.format.Timestamp;
import dev.promptedge.format.UpdateClientState;
import dev.promptedge.runtime.ota.CheckResult;
import dev.promptedge.runtime.ota.RepositoryLayout;
import dev.promptedge.tools.publish.KeyFiles;
import dev.promptedge.tools.publish.RepoPublisher;
import dev.promptedge.tools.publish.Signer;
import dev.promptedge.tools.publish.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key rotation rows of the OTA suite: accepted rotations, thresholds, fast-forward recovery. */
class OtaRotationTest {

  @TempDir Path dir;

  private static OtaFixture started(OtaFixture f) throws Exception {
    f.publish("shapes", 1, 1);
    CheckResult first = f.check();
    assertTrue(first.ok(), first.message());
    f.assertServing("shapes", 1);
    return f;
  }

  private static long trustedRootVersion(OtaFixture f) throws Exception {
    UpdateClientState state =
        UpdateClientState.parseFrom(Files.readAllBytes(f.dir.resolve("store/ota-state")));
    return Root.parseFrom(SignedMetadata.parseFrom(state.getRoot()).getPayload()).getVersion();
  }

  @Test
  void rootRotationToNewRootAndTimestampKeysIsFollowed() throws Exception {
    try (OtaFixture f = started(new OtaFixture(dir))) {
      f.publisher.rotateRoot(
          Map.of(
              Role.ROOT, new RepoPublisher.RoleKeyFiles(List.of(f.key("root2")), 1),
              Role.TIMESTAMP, new RepoPublisher.RoleKeyFiles(List.of(f.key("timestamp2")), 1)));
      f.publisher.rotateRoot(
          Map.of(Role.ROOT, new RepoPublisher.RoleKeyFiles(List.of(f.key("root3")), 1)));
      f.publish("shapes", 2, 2);
      CheckResult r = f.check();
      assertTrue(r.ok(), r.message());
      f.assertServing("shapes", 2);
      assertEquals(3, trustedRootVersion(f), "root v1 -> v2 -> v3 chained");
      f.newClient();
      assertTrue(f.check().ok(), "a restarted device trusts root v3 without the pinned key");
    }
  }

  @Test
  void aRootSignedBelowItsThresholdIsRefused() throws Exception {
    Path a = dir.resolve("ka");
    SigningKey keyA = KeyFiles.generate(a, "a");
    KeyFiles.generate(a, "b");
    RepoPublisher.RoleKeyFiles twoOfTwo =
        new RepoPublisher.RoleKeyFiles(List.of(a.resolve("a.key"), a.resolve("b.key")), 2);
    try (OtaFixture f = started(new OtaFixture(dir.resolve("f"), Map.of(Role.ROOT, twoOfTwo)))) {
      SigningKey attacker = KeyFiles.generate(dir.resolve("evil"), "evil");
      Root old = f.publisher.root();
      Root next =
          old.toBuilder()
              .setVersion(2)
              .addKeys(
                  PublicKey.newBuilder()
                      .setKeyId(attacker.keyId())
                      .setPublicKeyX509(ByteString.copyFrom(attacker.publicKey().getEncoded())))
              .setTargets(old.getTargets().toBuilder().clearKeyIds().addKeyIds(attacker.keyId()))
              .build();
      // Only one of the two old root keys signs (the attacker stole one).
      f.write(RepositoryLayout.root(2), Signer.metadata(next, List.of(keyA, attacker)));
      f.assertRefused(f.check(), "signature", "shapes", 1);
      assertEquals(1, trustedRootVersion(f));
    }
  }

  @Test
  void aRepeatedKeyIdCountsOnce() throws Exception {
    Path k = dir.resolve("kt");
    SigningKey keyA = KeyFiles.generate(k, "a");
    KeyFiles.generate(k, "b");
    RepoPublisher.RoleKeyFiles twoOfTwo =
        new RepoPublisher.RoleKeyFiles(List.of(k.resolve("a.key"), k.resolve("b.key")), 2);
    try (OtaFixture f =
        started(new OtaFixture(dir.resolve("f"), Map.of(Role.TIMESTAMP, twoOfTwo)))) {
      f.publish("shapes", 2, 2);
      SignedMetadata t = SignedMetadata.parseFrom(f.read(RepositoryLayout.TIMESTAMP));
      var one = keyA.sign(t.getPayload().toByteArray());
      f.write(
          RepositoryLayout.TIMESTAMP,
          t.toBuilder()
              .clearSignatures()
              .addSignatures(one)
              .addSignatures(one)
              .build()
              .toByteArray());
      f.assertRefused(f.check(), "signature", "shapes", 1);
    }
  }

  @Test
  void afterATimestampKeyRotationTheDeviceRecoversFromAFastForwardedTimestamp() throws Exception {
    try (OtaFixture f = started(new OtaFixture(dir))) {
      // An attacker with the timestamp key pushes timestamp v1000 to freeze further updates.
      byte[] legit = f.read(RepositoryLayout.TIMESTAMP);
      Timestamp t =
          Timestamp.parseFrom(SignedMetadata.parseFrom(legit).getPayload()).toBuilder()
              .setVersion(1000)
              .build();
      f.write(RepositoryLayout.TIMESTAMP, Signer.metadata(t, f.publisher.signers(Role.TIMESTAMP)));
      assertTrue(f.check().ok(), "the stolen key signs validly");
      f.write(RepositoryLayout.TIMESTAMP, legit);
      f.publish("shapes", 2, 2);
      f.assertRefused(f.check(), "rollback", "shapes", 1);

      f.publisher.rotateRoot(
          Map.of(Role.TIMESTAMP, new RepoPublisher.RoleKeyFiles(List.of(f.key("timestamp2")), 1)));
      f.publisher.publish();
      CheckResult r = f.check();
      assertTrue(r.ok(), r.message());
      f.assertServing("shapes", 2);
    }
  }
}
