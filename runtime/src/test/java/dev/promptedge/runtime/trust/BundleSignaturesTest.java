package dev.promptedge.runtime.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TrustedKey;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.fixtures.OtaDevice;
import dev.promptedge.runtime.ota.UpdateClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which keys a device trusts for uploaded bundles: the pinned keys always, and the targets role's
 * keys once the update client trusts a root (read from the store's ota-state). The repository and
 * the signed bundles are the committed fixtures.
 */
class BundleSignaturesTest {

  @TempDir Path dir;

  @Test
  void theTargetsKeyIsTrustedOnceTheDeviceTrustsItsRoot() throws Exception {
    try (OtaDevice f = new OtaDevice(dir, "shapes", 1, 1)) {
      TrustedKey root = OtaDevice.trustedKey("root");
      String targets = OtaDevice.trustedKey("targets").getKeyId();
      BundleSignatures signatures =
          BundleSignatures.of(
              List.of(root),
              0,
              () -> UpdateClient.trustedTargetsKeys(f.dir.resolve("store")),
              1 << 20);

      signatures.verify(OtaDevice.signedBundle("shapes", 1, 1, "root"));
      assertEquals(List.of(root.getKeyId()), List.copyOf(signatures.trustedKeyIds()));
      BundleException e =
          assertThrows(
              BundleException.class,
              () -> signatures.verify(OtaDevice.signedBundle("shapes", 1, 1, "targets")));
      assertEquals("signature", e.code());

      assertTrue(f.check().ok());
      assertTrue(signatures.trustedKeyIds().contains(targets));
      signatures.verify(OtaDevice.signedBundle("shapes", 1, 1, "targets"));
    }
  }
}
