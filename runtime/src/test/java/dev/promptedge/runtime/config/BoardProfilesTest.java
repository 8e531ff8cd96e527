package dev.promptedge.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.DeviceConfig;
import dev.promptedge.runtime.engine.EngineKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The board profiles shipped in device-config/ parse and pass the profile checks. */
class BoardProfilesTest {

  private static final Path DIR = Path.of("..", "device-config");
  private static final Set<String> ARM =
      Set.of("raspberry-pi-4", "raspberry-pi-5", "jetson-orin-nano");

  /** Every {@code *.textproto} in device-config/, so that a new profile is checked too. */
  static List<String> shippedProfiles() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".textproto"))
          .map(n -> n.substring(0, n.length() - ".textproto".length()))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void theBoardsAndTheDevelopmentBoxAreShipped() throws IOException {
    assertTrue(shippedProfiles().containsAll(ARM), shippedProfiles().toString());
    assertTrue(shippedProfiles().contains("x86_64-dev"), shippedProfiles().toString());
  }

  @ParameterizedTest
  @MethodSource("shippedProfiles")
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
      // No TFLite JNI library exists for aarch64 on Maven Central: boards run ONNX Runtime, on
      // the int8 backbone (its QDQ form is ONNX Runtime's fast path; the package ships no float).
      assertEquals(EngineKind.ONNXRUNTIME, profile.interpreter().engine());
      assertTrue(c.getUseQuantized(), "a board runs the int8 backbone");
      assertTrue(profile.interpreter().jniLibrary().isEmpty(), "no TFLite JNI path on a board");
      assertEquals(Path.of("/var/lib/promptedge/bundles"), profile.storeDirectory());
      assertEquals("gpiod", c.getGpio().getProvider());
      assertFalse(c.getGpio().getTaskLedsList().isEmpty());
    } else if (board.equals("x86_64-dev")) {
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
