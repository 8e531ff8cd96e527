package dev.promptedge.runtime.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Root;
import dev.promptedge.format.SignedMetadata;
import org.junit.jupiter.api.Test;

/**
 * Key rotation rows of the OTA suite that one key per role can show: a chained root rotation and
 * fast-forward recovery after a timestamp key rotation. (Threshold rows need two keys per role and
 * stay with the publisher in tools' {@code OtaRotationTest}.)
 */
class RootRotationTest extends ServingShapesV1 {

  @Test
  void rootRotationToNewRootAndTimestampKeysIsFollowed() throws Exception {
    // root v2 rotates the root and timestamp keys, root v3 the root key again; then shapes v2.
    f.lay("v2", "rotated-roots");
    CheckResult r = f.check();
    assertTrue(r.ok(), r.message());
    f.assertServing("shapes", 2);
    assertEquals(3, trustedRootVersion(), "root v1 -> v2 -> v3 chained");
    f.restart();
    assertTrue(f.check().ok(), "a restarted device trusts root v3 without the pinned key");
  }

  @Test
  void afterATimestampKeyRotationTheDeviceRecoversFromAFastForwardedTimestamp() throws Exception {
    // An attacker with the timestamp key pushes timestamp v1000 to freeze further updates.
    f.lay("timestamp-v1000");
    assertTrue(f.check().ok(), "the stolen key signs validly");
    f.lay("v2"); // the publisher's legitimate timestamp v2
    f.assertRefused(f.check(), "rollback", "shapes", 1);

    f.lay("timestamp-key-rotated");
    CheckResult r = f.check();
    assertTrue(r.ok(), r.message());
    f.assertServing("shapes", 2);
  }

  private long trustedRootVersion() throws Exception {
    return Root.parseFrom(SignedMetadata.parseFrom(f.state().getRoot()).getPayload()).getVersion();
  }
}
