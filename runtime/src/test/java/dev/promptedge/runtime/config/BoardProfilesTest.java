package dev.promptedge.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.DeviceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The board profiles shipped in device-config/ parse and pass the profile checks. */
class BoardProfilesTest {

  private static final Path DIR = Path.of("..", "device-config");
  private static final Set<String> ARM =
      Set.of("raspberry-pi-4", "raspberry-pi-5", "jetson-orin-nano");

  @Test
  void everyShippedProfileIsCovered() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".textproto"))
              .sorted()
              .collect(Collectors.toList());
      assertEquals(
          List.of(
              "jetson-orin-nano.textproto",
              "raspberry-pi-4.textproto",
              "raspberry-pi-5.textproto",
              "x86_64-dev.textproto"),
          names);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"raspberry-pi-4", "raspberry-pi-5", "jetson-orin-nano", "x86_64-dev"})
  void profileReadsAndChecks(String board) {
    DeviceProfile profile = DeviceProfile.read(DIR.resolve(board + ".textproto"));
    DeviceConfig c = profile.config();
    assertEquals(board, c.getBoard());
    assertTrue(c.getInterpreter().getThreads() >= 1);
    assertTrue(c.getInterpreter().getXnnpack());
    assertTrue(c.getStore().getResidentBudgetBytes() > 0);
    assertTrue(c.getApi().getMaxBatch() > 0 && c.getApi().getQueueCapacity() > 0);
    assertTrue(c.getGpio().getEnabled());
    if (ARM.contains(board)) {
      assertTrue(c.getInterpreter().getThreads() >= 4, "a board's profile uses its cores");
      assertEquals(
          Path.of("/usr/lib/promptedge/libtensorflowlite_jni.so"),
          profile.interpreter().jniLibrary().orElseThrow());
      assertEquals(Path.of("/var/lib/promptedge/bundles"), profile.storeDirectory());
      assertTrue(c.getUseQuantized());
      assertEquals("gpiod", c.getGpio().getProvider());
      assertFalse(c.getGpio().getTaskLedsList().isEmpty());
    } else {
      assertTrue(profile.interpreter().jniLibrary().isEmpty(), "x86_64 uses the jar's library");
      assertEquals(
          "demo-vit",
          profile.readCard().card().getName(),
          "the development profile runs the committed demo backbone");
    }
    if (!c.getApi().getBindAddress().startsWith("127.")) {
      assertFalse(c.getApi().getToken().isBlank(), "a LAN-bound API needs a token");
    }
    if (!c.getUpdates().getChannelUrl().isEmpty()) {
      assertTrue(c.getUpdates().getTrustedKeysCount() > 0);
    }
  }
}
