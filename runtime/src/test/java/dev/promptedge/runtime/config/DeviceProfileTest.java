package dev.promptedge.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceProfileTest {

  static final Path DEVICE_CONFIG = Path.of("..", "device-config");

  @TempDir Path dir;

  @Test
  void developmentProfileParsesAndResolvesPathsAgainstItsDirectory() {
    DeviceProfile profile = DeviceProfile.read(DEVICE_CONFIG.resolve("x86_64-dev.textproto"));
    assertEquals("x86_64-dev", profile.config().getBoard());
    assertEquals(1, profile.interpreter().threads());
    assertTrue(profile.interpreter().xnnpack());
    assertEquals(
        DEVICE_CONFIG.toAbsolutePath().resolve("../target/promptedged-store").normalize(),
        profile.storeDirectory().normalize());
    assertEquals(64L << 20, profile.engineSettings().residentBudgetBytes());
  }

  private ProfileException refused(String text) throws Exception {
    Path file = Files.writeString(dir.resolve("board.textproto"), text);
    return assertThrows(ProfileException.class, () -> DeviceProfile.read(file));
  }

  static final String MINIMAL =
      "format_version: 1\nboard: \"pi\"\nbackbone_card: \"b.card.textproto\"\n"
          + "store { directory: \"store\" }\n";

  @Test
  void engineComesFromTheProfileAndTheCommandLineOverridesIt() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("board.textproto"), MINIMAL + "interpreter { engine: \"onnxruntime\" }\n");
    DeviceProfile profile = DeviceProfile.read(file);
    assertEquals(
        dev.promptedge.runtime.engine.EngineKind.ONNXRUNTIME, profile.interpreter().engine());
    assertEquals(
        dev.promptedge.runtime.engine.EngineKind.AUTO,
        profile.withEngine(dev.promptedge.runtime.engine.EngineKind.AUTO).interpreter().engine());
    assertEquals(
        dev.promptedge.runtime.engine.EngineKind.TFLITE,
        DeviceProfile.read(Files.writeString(file, MINIMAL)).interpreter().engine());
  }

  @Test
  void unknownEngineIsRefused() throws Exception {
    ProfileException e = refused(MINIMAL + "interpreter { engine: \"tensorrt\" }\n");
    assertTrue(e.getMessage().contains("interpreter.engine"), e.getMessage());
  }

  @Test
  void minimalProfileGetsDefaults() throws Exception {
    Path file = Files.writeString(dir.resolve("board.textproto"), MINIMAL);
    DeviceProfile profile = DeviceProfile.read(file);
    assertEquals(Runtime.getRuntime().availableProcessors(), profile.interpreter().threads());
    assertEquals(dir.resolve("store").toAbsolutePath(), profile.storeDirectory());
  }

  @Test
  void unknownFieldNamesTheLine() throws Exception {
    ProfileException e = refused(MINIMAL + "threads: 4\n");
    assertTrue(e.getMessage().contains("board.textproto"), e.getMessage());
    assertTrue(e.getMessage().contains("threads"), e.getMessage());
  }

  @Test
  void newerFormatVersionIsRefused() throws Exception {
    ProfileException e = refused(MINIMAL.replace("format_version: 1", "format_version: 2"));
    assertTrue(e.getMessage().contains("format_version 2"), e.getMessage());
  }

  @Test
  void missingStoreDirectoryIsNamed() throws Exception {
    ProfileException e = refused(MINIMAL.replace("store { directory: \"store\" }\n", ""));
    assertTrue(e.getMessage().contains("store.directory"), e.getMessage());
  }

  @Test
  void nonLoopbackApiWithoutTokenIsRefused() throws Exception {
    ProfileException e = refused(MINIMAL + "api { bind_address: \"0.0.0.0\" port: 8470 }\n");
    assertTrue(e.getMessage().contains("api.token"), e.getMessage());
  }

  @Test
  void sharedGpioPinIsRefused() throws Exception {
    ProfileException e =
        refused(
            MINIMAL
                + "gpio { enabled: true button_pin: 17 status_led_pin: 27"
                + " task_leds { task: \"a\" pin: 27 } }\n");
    assertTrue(e.getMessage().contains("gpio.task_leds"), e.getMessage());
  }

  @Test
  void updateChannelWithoutTrustedKeysIsRefused() throws Exception {
    ProfileException e = refused(MINIMAL + "updates { channel_url: \"http://127.0.0.1:9/\" }\n");
    assertTrue(e.getMessage().contains("updates.trusted_keys"), e.getMessage());
  }
}
