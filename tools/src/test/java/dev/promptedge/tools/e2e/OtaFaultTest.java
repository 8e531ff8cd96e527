package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.fixtures.TestRepoServer;
import dev.promptedge.runtime.ota.CheckResult;
import dev.promptedge.runtime.ota.RepositoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endless data, slow retrieval and not-for-this-device rows of the OTA suite: bounded in bytes and
 * time, "shapes" v1 keeps serving, and the device recovers when the server behaves again.
 */
class OtaFaultTest {

  @TempDir Path dir;
  private OtaFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new OtaFixture(dir);
    f.publish("shapes", 1, 1);
    assertTrue(f.check().ok());
    f.assertServing("shapes", 1);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private CheckResult timedCheck(long maxMillis) {
    long start = System.nanoTime();
    CheckResult r = f.check();
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < maxMillis, "check took " + millis + " ms: " + r);
    return r;
  }

  @Test
  void aTimestampThatNeverEndsHitsTheMetadataCap() throws Exception {
    f.publish("shapes", 2, 2);
    f.server.misbehave(RepositoryLayout.TIMESTAMP, TestRepoServer.Behavior.ENDLESS);
    f.assertRefused(timedCheck(2500), "too_large", "shapes", 1);
    f.server.behave();
    assertTrue(f.check().ok());
    f.assertServing("shapes", 2);
  }

  @Test
  void aBundleBodyLongerThanDeclaredIsCutAtTheDeclaredLength() throws Exception {
    f.publish("shapes", 2, 2);
    f.server.misbehave(RepositoryLayout.bundle("shapes", 2), TestRepoServer.Behavior.LONGER);
    f.assertRefused(timedCheck(2500), "too_large", "shapes", 1);
    f.server.behave();
    assertTrue(f.check().ok());
    f.assertServing("shapes", 2);
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
    f.publish("shapes", 2, 2);
    f.server.misbehave(RepositoryLayout.bundle("shapes", 2), TestRepoServer.Behavior.TRICKLE);
    f.assertRefused(timedCheck(3500), "slow_retrieval", "shapes", 1);
    assertEquals(
        List.of(),
        List.of(
            Files.list(f.dir.resolve("store"))
                .filter(p -> p.toString().endsWith(".partial"))
                .toArray()));
  }

  @Test
  void aBundleForAnotherBackboneIsSkipped() throws Exception {
    MicroSetup other = new MicroSetup(Files.createDirectories(dir.resolve("other")), true);
    f.publisher.add(other.detection("deep", 1, 1).bundle().toBytes(), List.of());
    f.publisher.publish();
    CheckResult r = f.check();
    assertTrue(r.ok(), r.message());
    assertEquals(List.of(), r.installed());
    assertEquals("wrong_backbone", r.skipped().get(0).reason());
    assertEquals(List.of("shapes"), f.engine.installed());
    f.assertServing("shapes", 1);
  }

  @Test
  void aBundleForAnotherBoardIsSkipped() throws Exception {
    f.publisher.add(
        f.setup.detection("shapes", 2, 2).bundle().toBytes(), List.of("raspberry-pi-5"));
    f.publisher.publish();
    CheckResult r = f.check();
    assertTrue(r.ok(), r.message());
    assertEquals(List.of(), r.installed());
    assertEquals("wrong_board", r.skipped().get(0).reason());
    f.assertServing("shapes", 1);
    assertEquals(0, f.server.requests(RepositoryLayout.bundle("shapes", 2)));
  }
}
