package dev.promptedge.runtime.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.store.BundleStore;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.ModelT;

/**
 * The task switch on the real interpreter: installs, refusals, residency, restarts, atomicity. The
 * backbone and bundles are the committed fixtures ({@link MicroFixtures}).
 */
class TaskEngineTest {

  @TempDir Path dir;

  private Backbone backbone;
  private final BufferedImage image = MicroFixtures.image(48, 40, 3);

  @BeforeEach
  void setUp() throws Exception {
    backbone = Backbone.open(MicroFixtures.backbone(dir), false, MicroFixtures.CONFIG);
  }

  @AfterEach
  void tearDown() {
    backbone.close();
  }

  private TaskEngine engine(long budget) {
    return TaskEngine.open(
        backbone,
        BundleStore.open(dir.resolve("store")),
        new EngineSettings(MicroFixtures.CONFIG, budget, 1 << 20));
  }

  @Test
  void refusedBundlesLeaveTheActiveTaskServingAndTheStoreUnchanged() throws Exception {
    Bundle good = MicroFixtures.detection("shapes", 1, 1);
    try (TaskEngine engine = engine(EngineSettings.DEFAULT_RESIDENT_BUDGET)) {
      engine.install(good.toBytes());
      InferenceResult before = engine.infer(TaskRequest.active(image));

      Map<String, byte[]> hostile =
          Map.of(
              "wrong_backbone", MicroFixtures.otherBackboneDetection("shapes", 2, 1).toBytes(),
              "head_shape", withHead(good, MicroFixtures.wrongGridHead()),
              "bad_head", withHead(good, blownUpHead(good)),
              "self_test_failed", withSelfTestOutputShifted(good),
              "corrupt", java.util.Arrays.copyOf(good.toBytes(), 100));
      for (var entry : hostile.entrySet()) {
        BundleException e =
            assertThrows(BundleException.class, () -> engine.install(entry.getValue()));
        assertEquals(entry.getKey(), e.code(), e.getMessage());
        assertEquals("shapes", engine.active().orElseThrow());
        InferenceResult after = engine.infer(TaskRequest.active(image));
        assertEquals(1, after.bundleVersion());
        assertArrayEquals(before.headOutput(), after.headOutput(), 0f);
        assertArrayEquals(
            good.toBytes(), engine.store().read("shapes").orElseThrow(), entry.getKey());
      }
    }
  }

  /**
   * The head with the crash of issue 13: one tensor dimension read as 16,711,688 (0x00FF0008),
   * which made the interpreter abort the JVM with std::bad_alloc before the model verifier.
   */
  private static byte[] blownUpHead(Bundle packed) {
    ModelT head = ModelT.deserializeFromBinary(packed.bundle().getHead().toByteArray());
    head.getSubgraphs()[0].getTensors()[2].getShape()[1] = 16_711_688;
    return head.serializeToBinary();
  }

  private static byte[] withHead(Bundle packed, byte[] head) {
    PromptBundle bundle =
        packed.bundle().toBuilder().setVersion(2).setHead(ByteString.copyFrom(head)).build();
    return envelope(bundle);
  }

  private static byte[] withSelfTestOutputShifted(Bundle packed) {
    PromptBundle.Builder bundle = packed.bundle().toBuilder().setVersion(2);
    var expectation = bundle.getSelfTestBuilder().getExpectationsBuilder(0);
    var output = expectation.getOutputBuilder();
    output.setValues(0, output.getValues(0) + 10 * expectation.getTolerance() + 1);
    return envelope(bundle.build());
  }

  private static byte[] envelope(PromptBundle bundle) {
    return SignedBundle.newBuilder()
        .setFormatVersion(1)
        .setBundle(bundle.toByteString())
        .build()
        .toByteArray();
  }

  @Test
  void versionsOnlyMoveForwardAndTheSameBundleTwiceIsANoOp() {
    Bundle v2 = MicroFixtures.detection("shapes", 2, 1);
    try (TaskEngine engine = engine(EngineSettings.DEFAULT_RESIDENT_BUDGET)) {
      assertFalse(engine.install(v2.toBytes()).unchanged());
      InstallResult again = engine.install(v2.toBytes());
      assertTrue(again.unchanged());
      assertEquals(
          "rollback",
          assertThrows(
                  BundleException.class,
                  () -> engine.install(MicroFixtures.detection("shapes", 1, 1).toBytes()))
              .code());
      assertEquals(
          "version_reused",
          assertThrows(
                  BundleException.class,
                  () -> engine.install(MicroFixtures.detection("shapes", 2, 9).toBytes()))
              .code());
      Bundle v3 = MicroFixtures.detection("shapes", 3, 4);
      InstallResult upgrade = engine.install(v3.toBytes());
      assertTrue(upgrade.active(), "a new version of the active task becomes active");
      assertEquals(3, engine.infer(TaskRequest.active(image)).bundleVersion());
    }
  }

  @Test
  void leastRecentlyUsedBundlesAreEvictedAndReloadedFromTheStore() {
    List<Bundle> bundles =
        List.of(
            MicroFixtures.detection("a", 1, 1),
            MicroFixtures.segmentation("b", 1, 2),
            MicroFixtures.detection("c", 1, 3));
    try (TaskEngine engine = engine(1)) {
      for (Bundle p : bundles) {
        engine.install(p.toBytes());
      }
      assertEquals("a", engine.active().orElseThrow());
      assertTrue(engine.resident().contains("a"), "the active task is never evicted");
      assertFalse(engine.resident().contains("b"), "b was evicted by c under a 1-byte budget");
      assertEquals(List.of("a", "b", "c"), engine.installed());

      InferenceResult b = engine.infer(TaskRequest.of(image, "b"));
      assertEquals("b", b.bundleName());
      assertTrue(engine.resident().contains("b"), "b was reloaded from the store");
      assertEquals("a", engine.active().orElseThrow(), "running b did not activate it");
    }
  }

  @Test
  void aRestartedEngineFindsTheSameActiveTaskAndBundles() {
    Bundle a = MicroFixtures.detection("a", 1, 1);
    Bundle b = MicroFixtures.segmentation("b", 1, 2);
    float[] expected;
    try (TaskEngine engine = engine(EngineSettings.DEFAULT_RESIDENT_BUDGET)) {
      engine.install(a.toBytes());
      engine.install(b.toBytes());
      engine.activate("b");
      expected = engine.infer(TaskRequest.active(image)).headOutput();
    }
    try (TaskEngine engine = engine(EngineSettings.DEFAULT_RESIDENT_BUDGET)) {
      assertEquals("b", engine.active().orElseThrow());
      assertEquals(List.of("a", "b"), engine.installed());
      assertArrayEquals(expected, engine.infer(TaskRequest.active(image)).headOutput(), 0f);
    }
  }

  @Test
  void anAcknowledgedSwitchIsOnDiskBeforeTheEngineCloses() throws Exception {
    try (TaskEngine engine = engine(EngineSettings.DEFAULT_RESIDENT_BUDGET)) {
      engine.install(MicroFixtures.detection("a", 1, 1).toBytes());
      engine.install(MicroFixtures.segmentation("b", 1, 2).toBytes());
      for (String name : List.of("b", "a", "b")) {
        engine.activate(name);
        assertEquals(name, BundleStore.open(dir.resolve("store")).active().orElseThrow());
      }
    }
  }

  @Test
  void mixedTaskBatchEqualsOneImageAtATime() {
    try (TaskEngine engine = engine(EngineSettings.DEFAULT_RESIDENT_BUDGET)) {
      engine.install(MicroFixtures.detection("a", 1, 1).toBytes());
      engine.install(MicroFixtures.segmentation("b", 1, 2).toBytes());
      List<TaskRequest> requests = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        requests.add(TaskRequest.of(MicroFixtures.image(30 + i, 32, i), i % 2 == 0 ? "a" : "b"));
      }
      List<InferenceResult> batched = engine.infer(requests);
      for (int i = 0; i < requests.size(); i++) {
        InferenceResult alone = engine.infer(requests.get(i));
        assertEquals(alone.bundleName(), batched.get(i).bundleName());
        float[] x = alone.headOutput();
        float[] y = batched.get(i).headOutput();
        for (int k = 0; k < x.length; k++) {
          assertEquals(x[k], y[k], 1e-5, "request " + i + " output " + k);
        }
      }
    }
  }

  @Test
  void everyResultMatchesTheBundleItNamesWhileTasksSwitchUnderLoad() throws Exception {
    try (TaskEngine engine = engine(EngineSettings.DEFAULT_RESIDENT_BUDGET)) {
      engine.install(MicroFixtures.detection("a", 1, 1).toBytes());
      engine.install(MicroFixtures.detection("b", 1, 2).toBytes());
      Map<String, float[]> truth = new ConcurrentHashMap<>();
      truth.put("a", engine.infer(TaskRequest.of(image, "a")).headOutput());
      truth.put("b", engine.infer(TaskRequest.of(image, "b")).headOutput());
      assertFalse(java.util.Arrays.equals(truth.get("a"), truth.get("b")));

      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        Future<Integer> switches =
            pool.submit(
                () -> {
                  int n = 0;
                  while (running.get()) {
                    engine.activate(n++ % 2 == 0 ? "b" : "a");
                  }
                  return n;
                });
        List<Future<Map<String, Integer>>> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
          workers.add(
              pool.submit(
                  () -> {
                    Map<String, Integer> seen = new ConcurrentHashMap<>();
                    for (int i = 0; i < 150; i++) {
                      InferenceResult r = engine.infer(TaskRequest.active(image));
                      assertArrayEquals(truth.get(r.bundleName()), r.headOutput(), 0f);
                      seen.merge(r.bundleName(), 1, Integer::sum);
                    }
                    return seen;
                  }));
        }
        int total = 0;
        for (Future<Map<String, Integer>> worker : workers) {
          total += worker.get().values().stream().mapToInt(Integer::intValue).sum();
        }
        running.set(false);
        assertTrue(switches.get() >= 2, "the active task switched during the run");
        assertEquals(300, total);
      } finally {
        running.set(false);
        pool.shutdownNow();
      }
    }
  }
}
