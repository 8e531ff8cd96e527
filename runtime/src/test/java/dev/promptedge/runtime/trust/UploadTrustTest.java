package dev.promptedge.runtime.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.DeviceConfig;
import dev.promptedge.format.StoreSettings;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.config.DeviceProfile;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upload rule of a profile that pins no publisher key: loopback only. */
class UploadTrustTest {

  @TempDir Path dir;

  private DeviceProfile profile() {
    return new DeviceProfile(
        dir.resolve("p.textproto"),
        DeviceConfig.newBuilder()
            .setFormatVersion(1)
            .setBoard("b")
            .setStore(StoreSettings.newBuilder().setDirectory(dir.toString()))
            .build());
  }

  @Test
  void noPinnedKeysOnLoopbackAcceptsUnsignedAndSaysSo() {
    UploadTrust trust = UploadTrust.of(profile(), new InetSocketAddress("127.0.0.1", 0), Map::of);
    assertSame(BundleVerifier.UNVERIFIED, trust.verifier());
    assertTrue(trust.description().contains("UNSIGNED accepted"), trust.description());
  }

  @Test
  void noPinnedKeysOffLoopbackRefusesEveryUpload() {
    UploadTrust trust =
        UploadTrust.of(profile(), new InetSocketAddress("192.0.2.7", 8470), Map::of);
    BundleException e =
        assertThrows(BundleException.class, () -> trust.verifier().verify(new byte[] {1, 2}));
    assertEquals("unsigned", e.code());
    assertTrue(e.getMessage().contains("updates.trusted_keys"), e.getMessage());
    assertTrue(e.getMessage().contains("promptedge bundle sign --key"), e.getMessage());
    assertTrue(trust.description().startsWith("uploads refused"), trust.description());
  }
}
