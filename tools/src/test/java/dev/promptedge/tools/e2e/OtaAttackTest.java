package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.Role;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.format.SignedMetadata;
import dev.promptedge.format.Snapshot;
import dev.promptedge.format.Targets;
import dev.promptedge.format.Timestamp;
import dev.promptedge.runtime.ota.CheckResult;
import dev.promptedge.runtime.ota.RepositoryLayout;
import dev.promptedge.tools.publish.KeyFiles;
import dev.promptedge.tools.publish.RepoPublisher;
import dev.promptedge.tools.publish.Signer;
import dev.promptedge.tools.publish.SigningKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arbitrary-software, rollback, freeze and mix-and-match rows of the OTA suite: each attack is
 * refused with its reason and "shapes" v1 (installed over the air in setUp) keeps serving.
 */
class OtaAttackTest {

  @TempDir Path dir;
  private OtaFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new OtaFixture(dir);
    f.publish("shapes", 1, 1);
    CheckResult first = f.check();
    assertTrue(first.ok(), first.message());
    assertEquals(1, first.installed().size());
    f.assertServing("shapes", 1);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aNewVersionInstallsAndTheSameUpdateOfferedTwiceInstallsNothing() throws Exception {
    f.publish("shapes", 2, 2);
    CheckResult r = f.check();
    assertTrue(r.ok(), r.message());
    assertEquals("shapes", r.installed().get(0).name());
    f.assertServing("shapes", 2);
    String bundle = RepositoryLayout.bundle("shapes", 2);
    assertEquals(1, f.server.requests(bundle));

    CheckResult again = f.check();
    assertTrue(again.ok(), again.message());
    assertEquals(List.of(), again.installed());
    assertEquals("up to date", again.message());
    assertEquals(1, f.server.requests(bundle), "an installed bundle is not downloaded again");
    assertEquals(3, f.client.status().checks());
    assertEquals(2, f.client.status().installs());
  }

  @Test
  void aForgedTimestampSignatureIsRefused() throws Exception {
    f.publish("shapes", 2, 2);
    byte[] timestamp = f.read(RepositoryLayout.TIMESTAMP);
    timestamp[timestamp.length - 1] ^= 1; // the last byte of the signature
    f.write(RepositoryLayout.TIMESTAMP, timestamp);
    f.assertRefused(f.check(), "signature", "shapes", 1);
    assertEquals(1L, f.client.status().rejections().get("signature"));
  }

  @Test
  void targetsSignedByAnUnknownKeyAreRefusedEvenUnderValidSnapshotAndTimestamp() throws Exception {
    f.publish("shapes", 2, 2);
    SigningKey attacker = KeyFiles.generate(dir.resolve("attacker"), "evil");
    byte[] targets = f.read(RepositoryLayout.targets(2));
    byte[] forged =
        Signer.metadata(
            Targets.parseFrom(SignedMetadata.parseFrom(targets).getPayload()), List.of(attacker));
    resignChain(forged, 2);
    f.assertRefused(f.check(), "signature", "shapes", 1);
  }

  @Test
  void oneFlippedByteInTargetsMetadataIsRefused() throws Exception {
    f.publish("shapes", 2, 2);
    byte[] targets = f.read(RepositoryLayout.targets(2));
    targets[targets.length / 2] ^= 0x40;
    f.write(RepositoryLayout.targets(2), targets);
    f.assertRefused(f.check(), "mix_and_match", "shapes", 1);
  }

  @Test
  void oneFlippedByteInTheBundleIsRefusedAndTheFixedFileInstalls() throws Exception {
    f.publish("shapes", 2, 2);
    String path = RepositoryLayout.bundle("shapes", 2);
    byte[] good = f.read(path);
    byte[] bad = good.clone();
    bad[bad.length / 3] ^= 1;
    f.write(path, bad);
    f.assertRefused(f.check(), "bundle_hash", "shapes", 1);
    f.write(path, good);
    assertTrue(f.check().ok(), "a transient corruption is retried at the next poll");
    f.assertServing("shapes", 2);
  }

  @Test
  void bundleBytesSwappedUnderValidMetadataAreRefused() throws Exception {
    f.publish("shapes", 2, 2);
    f.write(
        RepositoryLayout.bundle("shapes", 2),
        f.setup.detection("shapes", 2, 99).bundle().toBytes());
    f.assertRefused(f.check(), "bundle_hash", "shapes", 1);
  }

  @Test
  void olderValidlySignedMetadataIsARollback() throws Exception {
    byte[] oldTimestamp = f.read(RepositoryLayout.TIMESTAMP);
    f.publish("shapes", 2, 2);
    assertTrue(f.check().ok());
    f.assertServing("shapes", 2);
    f.write(RepositoryLayout.TIMESTAMP, oldTimestamp);
    f.assertRefused(f.check(), "rollback", "shapes", 2);
  }

  @Test
  void anOlderBundleVersionIsARollback() throws Exception {
    f.engine.install(f.setup.detection("shapes", 3, 3).bundle().toBytes());
    f.publish("shapes", 2, 2);
    f.assertRefused(f.check(), "rollback", "shapes", 3);
    f.assertRefused(f.check(), "rollback", "shapes", 3);
    assertEquals(1L, f.client.status().rejections().get("rollback"), "counted once");
  }

  @Test
  void expiredMetadataIsRefusedAndMovingTheClockBackDoesNotHelp() throws Exception {
    f.clock.advance(Duration.ofDays(2)); // the timestamp lives 1 day; the repository is frozen
    f.assertRefused(f.check(), "expired", "shapes", 1);
    f.clock.set(OtaFixture.START.plus(Duration.ofHours(1)));
    f.assertRefused(f.check(), "expired", "shapes", 1);
    f.newClient(); // a restart keeps the time floor
    f.assertRefused(f.check(), "expired", "shapes", 1);

    f.clock.set(OtaFixture.START.plus(Duration.ofDays(2)));
    f.publish("shapes", 2, 2);
    f.clock.set(OtaFixture.START.plus(Duration.ofHours(1)));
    assertTrue(f.check().ok(), "fresh metadata is accepted again");
    f.assertServing("shapes", 2);
  }

  @Test
  void aSnapshotThatDisagreesWithTheTimestampIsRefused() throws Exception {
    f.publish("shapes", 2, 2);
    // A validly signed timestamp naming snapshot v3 whose file is the old v1 snapshot.
    byte[] old = f.read(RepositoryLayout.snapshot(1));
    f.write(RepositoryLayout.snapshot(3), old);
    Timestamp t = timestamp();
    Timestamp mixed =
        t.toBuilder()
            .setVersion(t.getVersion() + 1)
            .setSnapshot(RepoPublisher.meta(3, old))
            .build();
    f.write(
        RepositoryLayout.TIMESTAMP, Signer.metadata(mixed, f.publisher.signers(Role.TIMESTAMP)));
    f.assertRefused(f.check(), "mix_and_match", "shapes", 1);
  }

  @Test
  void aBundleWhoseContentsDifferFromItsTargetsEntryIsRefused() throws Exception {
    // Signed metadata that names shapes v2, over a file that is a valid shapes v5 bundle.
    byte[] v5 = f.setup.detection("shapes", 5, 5).bundle().toBytes();
    f.publisher.add(f.setup.detection("shapes", 2, 2).bundle().toBytes(), List.of());
    f.write(RepositoryLayout.bundle("shapes", 2), v5);
    byte[] targets = f.read(RepositoryLayout.targets(1));
    Targets t = Targets.parseFrom(SignedMetadata.parseFrom(targets).getPayload());
    Targets lying =
        t.toBuilder()
            .setVersion(2)
            .setBundles(
                0,
                t.getBundles(0).toBuilder()
                    .setVersion(2)
                    .setPath(RepositoryLayout.bundle("shapes", 2))
                    .setSha256(dev.promptedge.runtime.store.Sha256.hex(v5))
                    .setLength(v5.length))
            .build();
    resignChain(Signer.metadata(lying, f.publisher.signers(Role.TARGETS)), 2);
    f.assertRefused(f.check(), "bundle_mismatch", "shapes", 1);
  }

  @Test
  void aTargetsEntryWithVersionTwoToTheSixtyFourMinusOneIsRefusedNotReadAsMinusOne()
      throws Exception {
    byte[] targets = f.read(RepositoryLayout.targets(1));
    Targets t = Targets.parseFrom(SignedMetadata.parseFrom(targets).getPayload());
    Targets huge =
        t.toBuilder()
            .setVersion(2)
            .setBundles(0, t.getBundles(0).toBuilder().setVersion(-1L))
            .build();
    resignChain(Signer.metadata(huge, f.publisher.signers(Role.TARGETS)), 2);
    CheckResult r = f.check();
    f.assertRefused(r, "bad_version", "shapes", 1);
    assertTrue(r.message().contains("v18446744073709551615"), r.message());
  }

  /** A bundle v2 whose self-test expectation is off: refused once, not downloaded again. */
  @Test
  void aBundleThatFailsItsSelfTestIsRefusedOnceAndNotRetried() throws Exception {
    PromptBundle.Builder b = f.setup.detection("shapes", 2, 2).bundle().bundle().toBuilder();
    var expectation = b.getSelfTestBuilder().getExpectationsBuilder(0);
    var output = expectation.getOutputBuilder();
    output.setValues(0, output.getValues(0) + 10 * expectation.getTolerance() + 1);
    byte[] bad =
        SignedBundle.newBuilder()
            .setFormatVersion(1)
            .setBundle(ByteString.copyFrom(b.build().toByteArray()))
            .build()
            .toByteArray();
    f.publisher.add(bad, List.of());
    f.publisher.publish();
    f.assertRefused(f.check(), "self_test_failed", "shapes", 1);
    f.assertRefused(f.check(), "self_test_failed", "shapes", 1);
    assertEquals(1, f.server.requests(RepositoryLayout.bundle("shapes", 2)));
    assertEquals(1L, f.client.status().rejections().get("self_test_failed"));
  }

  private Timestamp timestamp() throws Exception {
    return Timestamp.parseFrom(
        SignedMetadata.parseFrom(f.read(RepositoryLayout.TIMESTAMP)).getPayload());
  }

  /** Writes {@code targets} as version N and a valid snapshot v N+10 and timestamp naming it. */
  private void resignChain(byte[] targets, long targetsVersion) throws Exception {
    f.write(RepositoryLayout.targets(targetsVersion), targets);
    Timestamp t = timestamp();
    long snapshotVersion = t.getSnapshot().getVersion() + 10;
    Snapshot s =
        Snapshot.newBuilder()
            .setFormatVersion(1)
            .setRole(Role.SNAPSHOT)
            .setVersion(snapshotVersion)
            .setIssuedEpochSeconds(t.getIssuedEpochSeconds())
            .setExpiresEpochSeconds(t.getExpiresEpochSeconds())
            .setTargets(RepoPublisher.meta(targetsVersion, targets))
            .build();
    byte[] snapshot = Signer.metadata(s, f.publisher.signers(Role.SNAPSHOT));
    f.write(RepositoryLayout.snapshot(snapshotVersion), snapshot);
    f.write(
        RepositoryLayout.TIMESTAMP,
        Signer.metadata(
            t.toBuilder()
                .setVersion(t.getVersion() + 10)
                .setSnapshot(RepoPublisher.meta(snapshotVersion, snapshot))
                .build(),
            f.publisher.signers(Role.TIMESTAMP)));
  }
}
