package dev.promptedge.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.DeviceConfig;
import dev.promptedge.runtime.config.DeviceProfile;
import dev.promptedge.runtime.engine.EngineKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package's systemd unit, launcher and conffile agree with each other, and the conffile parses
 * as a device profile and passes the profile checks.
 */
class PackageFilesTest {

  static final Path DEB = Path.of("src", "deb");
  static final String CONFFILE = "/etc/promptedge/promptedged.textproto";

  @Test
  void conffileIsAProfileOnOnnxRuntimeWithTheStoreUnderVarLib() {
    DeviceProfile profile = DeviceProfile.read(DEB.resolve("etc/promptedged.textproto"));
    DeviceConfig c = profile.config();
    assertEquals(EngineKind.ONNXRUNTIME, profile.interpreter().engine());
    assertTrue(profile.interpreter().jniLibrary().isEmpty(), "no TFLite JNI path");
    assertEquals(
        Path.of("/usr/share/promptedge/backbone/backbone.card.textproto"), profile.backboneCard());
    assertEquals(Path.of("/var/lib/promptedge/bundles"), profile.storeDirectory());
    assertTrue(c.getApi().getBindAddress().startsWith("127."), "the API stays on loopback");
    assertFalse(c.getGpio().getEnabled(), "GPIO is the board profiles' business");
    assertTrue(c.getUseQuantized(), "the package ships the int8 backbone only");
  }

  @Test
  void unitRunsTheLauncherAsPromptedgeOnTheConffile() throws Exception {
    SystemdUnit unit = SystemdUnit.read(DEB.resolve("systemd/promptedged.service"));
    assertEquals("promptedge", unit.one("Service.User"));
    assertEquals("promptedge", unit.one("Service.Group"));
    assertEquals(List.of("/usr/bin/promptedged", "--profile", CONFFILE), unit.execStart());
    assertEquals("promptedge", unit.one("Service.StateDirectory"));
    assertTrue(
        Path.of("/var/lib/promptedge/bundles")
            .startsWith(Path.of(unit.one("Service.ReadWritePaths"))),
        "the store is writable under ProtectSystem=strict");
    assertEquals("strict", unit.one("Service.ProtectSystem"));
    assertEquals("multi-user.target", unit.one("Install.WantedBy"));
    assertEquals(
        List.of(CONFFILE), Files.readAllLines(DEB.resolve("control/conffiles")), "conffiles");
  }

  @Test
  void launcherStartsTheDaemonClassFromThePackagesRuntime() throws Exception {
    String launcher = Files.readString(DEB.resolve("bin/promptedged"));
    assertTrue(launcher.startsWith("#!/bin/sh\n"), launcher);
    assertTrue(launcher.contains("lib=/usr/lib/promptedge\n"), launcher);
    assertTrue(launcher.contains("exec \"$lib/runtime/bin/java\""), launcher);
    assertTrue(launcher.contains("-cp \"$lib/lib/*\""), launcher);
    String main = "dev.promptedge.runtime.daemon.Promptedged";
    assertTrue(launcher.contains(main + " \"$@\""), launcher);
    Class.forName(main);
    assertTrue(Files.isExecutable(DEB.resolve("bin/promptedged")));
    for (String script : List.of("postinst", "prerm", "postrm")) {
      assertTrue(Files.isExecutable(DEB.resolve("control").resolve(script)), script);
    }
  }
}
