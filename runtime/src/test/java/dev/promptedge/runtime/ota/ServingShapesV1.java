package dev.promptedge.runtime.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.fixtures.OtaDevice;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start of each OTA row: a device {@link #f} that installed "shapes" v1 over the air from
 * {@code repo-detection-shapes-v1-s1} (its self-test passed, it is the active task and serves),
 * closed after the test.
 */
abstract class ServingShapesV1 {

  @TempDir Path dir;
  OtaDevice f;

  @BeforeEach
  void installShapesV1() throws Exception {
    f = new OtaDevice(dir, "shapes", 1, 1);
    CheckResult first = f.check();
    assertTrue(first.ok(), first.message());
    assertEquals(1, first.installed().size());
    assertTrue(first.installed().get(0).active(), "its self-test passed and it is active");
    assertEquals(Optional.of("shapes"), f.engine.active());
    f.assertServing("shapes", 1);
  }

  @AfterEach
  void closeDevice() {
    f.close();
  }
}
