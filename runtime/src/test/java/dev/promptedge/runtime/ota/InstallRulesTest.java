package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.ota.CheckResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One install rule, one message: an update over the air is refused with the code and message a
 * local install of the same bundle gets.
 */
class InstallRulesTest {

  @TempDir Path dir;

  @Test
  void anOlderVersionOverTheAirIsRefusedAsALocalInstallIs() throws Exception {
    try (OtaFixture f = new OtaFixture(dir)) {
      f.engine.install(f.setup.detection("shapes", 3, 3).bundle().toBytes());
      byte[] older = f.publish("shapes", 2, 2).bundle().toBytes();
      assertSameRefusal(f, older, "rollback");
    }
  }

  @Test
  void aReusedVersionOverTheAirIsRefusedAsALocalInstallIs() throws Exception {
    try (OtaFixture f = new OtaFixture(dir)) {
      f.engine.install(f.setup.detection("shapes", 3, 3).bundle().toBytes());
      byte[] other = f.publish("shapes", 3, 4).bundle().toBytes();
      assertSameRefusal(f, other, "version_reused");
    }
  }

  private static void assertSameRefusal(OtaFixture f, byte[] bytes, String code) {
    CheckResult update = f.check();
    BundleException local = assertThrows(BundleException.class, () -> f.engine.install(bytes));
    assertEquals(code, update.reason(), update.message());
    assertEquals(code, local.code());
    assertEquals(local.getMessage(), update.message());
    f.assertServing("shapes", 3);
  }
}
