package dev.promptedge.runtime.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.fixtures.OtaDevice;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Arbitrary-software, rollback, freeze and mix-and-match rows of the OTA suite: each attack is a
 * committed update of {@code fixtures/ota/updates/} laid over the served repository, refused with
 * its reason while "shapes" v1 (installed over the air by {@link ServingShapesV1}) keeps serving.
 */
class UpdateAttackTest extends ServingShapesV1 {

  @Test
  void aNewVersionInstallsAndTheSameUpdateOfferedTwiceInstallsNothing() throws Exception {
    f.lay("v2");
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
    assertEquals(3, f.client().status().checks());
    assertEquals(2, f.client().status().installs());
  }

  /**
   * Each attack (the updates it lays, in order) is refused with its reason, counted once, and
   * shapes v1 keeps serving: a forged timestamp signature; targets signed by an unknown key even
   * under a valid snapshot and timestamp; one flipped byte in targets metadata; bundle bytes
   * swapped under valid metadata; a snapshot that disagrees with the timestamp; a bundle whose
   * contents differ from its targets entry.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "v2 forged-timestamp-signature, signature",
    "v2 targets-by-unknown-key, signature",
    "v2 flipped-targets-byte, mix_and_match",
    "v2 swapped-bundle, bundle_hash",
    "v2 mixed-snapshot, mix_and_match",
    "lying-targets, bundle_mismatch"
  })
  void anAttackIsRefusedWithItsReason(String updates, String reason) throws Exception {
    f.lay(updates.split(" "));
    f.assertRefused(f.check(), reason, "shapes", 1);
    assertEquals(1L, f.client().status().rejections().get(reason));
  }

  @Test
  void oneFlippedByteInTheBundleIsRefusedAndTheFixedFileInstalls() throws Exception {
    f.lay("v2", "flipped-bundle-byte");
    f.assertRefused(f.check(), "bundle_hash", "shapes", 1);
    f.lay("v2");
    assertTrue(f.check().ok(), "a transient corruption is retried at the next poll");
    f.assertServing("shapes", 2);
  }

  @Test
  void olderValidlySignedMetadataIsARollback() throws Exception {
    f.lay("v2");
    assertTrue(f.check().ok());
    f.assertServing("shapes", 2);
    f.lay("old-timestamp");
    f.assertRefused(f.check(), "rollback", "shapes", 2);
  }

  @Test
  void anOlderBundleVersionIsARollback() throws Exception {
    f.engine.install(MicroFixtures.detection("shapes", 3, 3).toBytes());
    f.lay("v2");
    f.assertRefused(f.check(), "rollback", "shapes", 3);
    f.assertRefused(f.check(), "rollback", "shapes", 3);
    assertEquals(1L, f.client().status().rejections().get("rollback"), "counted once");
  }

  @Test
  void expiredMetadataIsRefusedAndMovingTheClockBackDoesNotHelp() throws Exception {
    f.clock.advance(Duration.ofDays(2)); // the timestamp lives 1 day; the repository is frozen
    f.assertRefused(f.check(), "expired", "shapes", 1);
    f.clock.set(OtaDevice.publishedAt().plus(Duration.ofHours(1)));
    f.assertRefused(f.check(), "expired", "shapes", 1);
    f.restart(); // a restart keeps the time floor
    f.assertRefused(f.check(), "expired", "shapes", 1);

    f.lay("v2", "republished-later"); // published two days after the first
    assertTrue(f.check().ok(), "fresh metadata is accepted again");
    f.assertServing("shapes", 2);
  }

  @Test
  void aTargetsEntryWithVersionTwoToTheSixtyFourMinusOneIsRefusedNotReadAsMinusOne()
      throws Exception {
    f.lay("huge-version");
    CheckResult r = f.check();
    f.assertRefused(r, "bad_version", "shapes", 1);
    assertTrue(r.message().contains("v18446744073709551615"), r.message());
  }

  /** A bundle v2 whose self-test expectation is off: refused once, not downloaded again. */
  @Test
  void aBundleThatFailsItsSelfTestIsRefusedOnceAndNotRetried() throws Exception {
    f.lay("failing-self-test");
    f.assertRefused(f.check(), "self_test_failed", "shapes", 1);
    f.assertRefused(f.check(), "self_test_failed", "shapes", 1);
    assertEquals(1, f.server.requests(RepositoryLayout.bundle("shapes", 2)));
    assertEquals(1L, f.client().status().rejections().get("self_test_failed"));
  }
}
