package dev.promptedge.runtime.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.fixtures.OtaDevice;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One install rule, one message: an update over the air is refused with the code and message a
 * local install of the same bundle gets. The repositories are the committed fixtures.
 */
class InstallRulesTest {

  @TempDir Path dir;

  @Test
  void anOlderVersionOverTheAirIsRefusedAsALocalInstallIs() throws Exception {
    try (OtaDevice f = new OtaDevice(dir, "shapes", 2, 2)) {
      f.engine.install(MicroFixtures.detection("shapes", 3, 3).toBytes());
      byte[] older = MicroFixtures.detection("shapes", 2, 2).toBytes();
      assertSameRefusal(f, older, "rollback");
    }
  }

  @Test
  void aReusedVersionOverTheAirIsRefusedAsALocalInstallIs() throws Exception {
    try (OtaDevice f = new OtaDevice(dir, "shapes", 3, 4)) {
      f.engine.install(MicroFixtures.detection("shapes", 3, 3).toBytes());
      byte[] other = MicroFixtures.detection("shapes", 3, 4).toBytes();
      assertSameRefusal(f, other, "version_reused");
    }
  }

  private static void assertSameRefusal(OtaDevice f, byte[] bytes, String code) {
    CheckResult update = f.check();
    BundleException local = assertThrows(BundleException.class, () -> f.engine.install(bytes));
    assertEquals(code, update.reason(), update.message());
    assertEquals(code, local.code());
    assertEquals(local.getMessage(), update.message());
    f.assertServing("shapes", 3);
  }
}
