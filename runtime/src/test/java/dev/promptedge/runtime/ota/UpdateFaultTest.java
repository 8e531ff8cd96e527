package dev.promptedge.runtime.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.fixtures.TestRepoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Endless data, slow retrieval and not-for-this-device rows of the OTA suite: bounded in bytes and
 * time, "shapes" v1 keeps serving, and the device recovers when the server behaves again.
 */
class UpdateFaultTest extends ServingShapesV1 {

  private CheckResult timedCheck(long maxMillis) {
    long start = System.nanoTime();
    CheckResult r = f.check();
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < maxMillis, "check took " + millis + " ms: " + r);
    return r;
  }

  /**
   * A timestamp that never ends hits the metadata cap; a longer bundle body is cut at its length.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("tooLong")
  void aBodyLongerThanAllowedIsRefusedAndTheDeviceRecovers(
      String path, TestRepoServer.Behavior behavior) throws Exception {
    f.lay("v2");
    f.server.misbehave(path, behavior);
    f.assertRefused(timedCheck(2500), "too_large", "shapes", 1);
    f.server.behave();
    assertTrue(f.check().ok());
    f.assertServing("shapes", 2);
  }

  static Stream<Arguments> tooLong() {
    return Stream.of(
        Arguments.of(RepositoryLayout.TIMESTAMP, TestRepoServer.Behavior.ENDLESS),
        Arguments.of(RepositoryLayout.bundle("shapes", 2), TestRepoServer.Behavior.LONGER));
  }

  @Test
  void aTrickledTimestampTimesOutAndTheDeviceKeepsServing() throws Exception {
    f.server.misbehave(RepositoryLayout.TIMESTAMP, TestRepoServer.Behavior.TRICKLE);
    f.assertRefused(timedCheck(3500), "slow_retrieval", "shapes", 1);
    f.server.behave();
    assertTrue(f.check().ok());
  }

  @Test
  void aTrickledBundleTimesOut() throws Exception {
    f.lay("v2");
    f.server.misbehave(RepositoryLayout.bundle("shapes", 2), TestRepoServer.Behavior.TRICKLE);
    f.assertRefused(timedCheck(3500), "slow_retrieval", "shapes", 1);
    try (Stream<Path> store = Files.list(f.dir.resolve("store"))) {
      assertEquals(List.of(), store.filter(p -> p.toString().endsWith(".partial")).toList());
    }
  }

  @Test
  void aBundleForAnotherBackboneIsSkipped() throws Exception {
    f.lay("other-backbone");
    CheckResult r = f.check();
    assertTrue(r.ok(), r.message());
    assertEquals(List.of(), r.installed());
    assertEquals("wrong_backbone", r.skipped().get(0).reason());
    assertEquals(List.of("shapes"), f.engine.installed());
    f.assertServing("shapes", 1);
  }

  @Test
  void aBundleForAnotherBoardIsSkipped() throws Exception {
    f.lay("v2", "other-board"); // shapes v2 republished for raspberry-pi-5 only
    CheckResult r = f.check();
    assertTrue(r.ok(), r.message());
    assertEquals(List.of(), r.installed());
    assertEquals("wrong_board", r.skipped().get(0).reason());
    f.assertServing("shapes", 1);
    assertEquals(0, f.server.requests(RepositoryLayout.bundle("shapes", 2)));
  }
}
