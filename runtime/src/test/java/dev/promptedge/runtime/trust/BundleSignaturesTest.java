package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Role;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.ota.UpdateClient;
import dev.promptedge.runtime.trust.BundleSignatures;
import dev.promptedge.tools.publish.KeyFiles;
import dev.promptedge.tools.publish.Signer;
import dev.promptedge.tools.publish.SigningKey;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which keys a device trusts for uploaded bundles: the pinned keys always, and the targets role's
 * keys once the update client trusts a root (read from the store's ota-state).
 */
class BundleSignaturesTest {

  @TempDir Path dir;

  @Test
  void theTargetsKeyIsTrustedOnceTheDeviceTrustsItsRoot() throws Exception {
    try (OtaFixture f = new OtaFixture(dir)) {
      SigningKey root = f.rootKeys.get(0);
      SigningKey targets = KeyFiles.read(f.keyFiles.get(Role.TARGETS));
      BundleSignatures signatures =
          BundleSignatures.of(
              List.of(root.trustedKey()),
              0,
              () -> UpdateClient.trustedTargetsKeys(f.dir.resolve("store")),
              1 << 20);
      byte[] bundle = f.setup.detection("shapes", 1, 1).bundle().toBytes();

      signatures.verify(Signer.bundle(bundle, root));
      assertEquals(List.of(root.keyId()), List.copyOf(signatures.trustedKeyIds()));
      BundleException e =
          assertThrows(
              BundleException.class, () -> signatures.verify(Signer.bundle(bundle, targets)));
      assertEquals("signature", e.code());

      f.publish("shapes", 1, 1);
      assertTrue(f.check().ok());
      assertTrue(signatures.trustedKeyIds().contains(targets.keyId()));
      signatures.verify(Signer.bundle(bundle, targets));
    }
  }
}
