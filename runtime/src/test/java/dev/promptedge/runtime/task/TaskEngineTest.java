package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.InstallResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.pack.SelfTestImages;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
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

/** The task switch on the real interpreter: installs, refusals, residency, restarts, atomicity. */
class TaskEngineTest {

  @TempDir Path dir;

  private MicroSetup setup;
  private Backbone backbone;
  private final BufferedImage image = SelfTestImages.synthetic(48, 40, 3);

  @BeforeEach
  void setUp() throws Exception {
    setup = new MicroSetup(dir, false);
    backbone = Backbone.open(setup.card, false, MicroSetup.CONFIG);
  }

  @AfterEach
  void tearDown() {
    backbone.close();
  }

  private TaskEngine engine(long budget) {
    return TaskEngine.open(
        backbone,
        BundleStore.open(dir.resolve("store")),
        new EngineSettings(MicroSetup.CONFIG, budget, 1 << 20));
  }

  @Test
  void refusedBundlesLeaveTheActiveTaskServingAndTheStoreUnchanged() throws Exception {
    MicroSetup.Packed good = setup.detection("shapes", 1, 1);
    MicroSetup other = new MicroSetup(Files.createDirectories(dir.resolve("other")), true);
    try (TaskEngine engine = engine(EngineSettings.DEFAULT_RESIDENT_BUDGET)) {
      engine.install(good.bundle().toBytes());
      InferenceResult before = engine.infer(TaskRequest.active(image));

      Map<String, byte[]> hostile =
          Map.of(
              "wrong_backbone", other.detection("shapes", 2, 1).bundle().toBytes(),
              "head_shape", withHead(good, wrongGridHead()),
              "bad_head", withHead(good, blownUpHead(good)),
              "self_test_failed", withSelfTestOutputShifted(good),
              "corrupt", java.util.Arrays.copyOf(good.bundle().toBytes(), 100));
      for (var entry : hostile.entrySet()) {
        BundleException e =
            assertThrows(BundleException.class, () -> engine.install(entry.getValue()));
        assertEquals(entry.getKey(), e.code(), e.getMessage());
        assertEquals("shapes", engine.active().orElseThrow());
        InferenceResult after = engine.infer(TaskRequest.active(image));
        assertEquals(1, after.bundleVersion());
        assertArrayEquals(before.headOutput(), after.headOutput(), 0f);
        assertArrayEquals(
            good.bundle().toBytes(), engine.store().read("shapes").orElseThrow(), entry.getKey());
      }
    }
  }

  /** A detection head for a 2x2 grid instead of the micro backbone's 4x4. */
  private byte[] wrongGridHead() {
    return HeadBuilder.build(
        TaskKind.DETECTION,
        HeadWeights.random(7, setup.spec.embedDim(), 5),
        2,
        2,
        setup.spec.embedDim());
  }

  /**
   * The head with the crash of issue 13: one tensor dimension read as 16,711,688 (0x00FF0008),
   * which made the interpreter abort the JVM with std::bad_alloc before the model verifier.
   */
  private static byte[] blownUpHead(MicroSetup.Packed packed) {
    ModelT head = ModelT.deserializeFromBinary(packed.bundle().bundle().getHead().toByteArray());
    head.getSubgraphs()[0].getTensors()[2].getShape()[1] = 16_711_688;
    return head.serializeToBinary();
  }

  private static byte[] withHead(MicroSetup.Packed packed, byte[] head) {
    PromptBundle bundle =
        packed.bundle().bundle().toBuilder()
            .setVersion(2)
            .setHead(ByteString.copyFrom(head))
            .build();
    return envelope(bundle);
  }

  private static byte[] withSelfTestOutputShifted(MicroSetup.Packed packed) {
    PromptBundle.Builder bundle = packed.bundle().bundle().toBuilder().setVersion(2);
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
    MicroSetup.Packed v2 = setup.detection("shapes", 2, 1);
    try (TaskEngine engine = engine(EngineSettings.DEFAULT_RESIDENT_BUDGET)) {
      assertFalse(engine.install(v2.bundle().toBytes()).unchanged());
      InstallResult again = engine.install(v2.bundle().toBytes());
      assertTrue(again.unchanged());
      assertEquals(
          "rollback",
          assertThrows(
                  BundleException.class,
                  () -> engine.install(setup.detection("shapes", 1, 1).bundle().toBytes()))
              .code());
      assertEquals(
          "version_reused",
          assertThrows(
                  BundleException.class,
                  () -> engine.install(setup.detection("shapes", 2, 9).bundle().toBytes()))
              .code());
      MicroSetup.Packed v3 = setup.detection("shapes", 3, 4);
      InstallResult upgrade = engine.install(v3.bundle().toBytes());
      assertTrue(upgrade.active(), "a new version of the active task becomes active");
      assertEquals(3, engine.infer(TaskRequest.active(image)).bundleVersion());
    }
  }

  @Test
  void leastRecentlyUsedBundlesAreEvictedAndReloadedFromTheStore() {
    List<MicroSetup.Packed> bundles =
        List.of(
            setup.detection("a", 1, 1), setup.segmentation("b", 1, 2), setup.detection("c", 1, 3));
    try (TaskEngine engine = engine(1)) {
      for (MicroSetup.Packed p : bundles) {
        engine.install(p.bundle().toBytes());
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
    MicroSetup.Packed a = setup.detection("a", 1, 1);
    MicroSetup.Packed b = setup.segmentation("b", 1, 2);
    float[] expected;
    try (TaskEngine engine = engine(EngineSettings.DEFAULT_RESIDENT_BUDGET)) {
      engine.install(a.bundle().toBytes());
      engine.install(b.bundle().toBytes());
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
      engine.install(setup.detection("a", 1, 1).bundle().toBytes());
      engine.install(setup.segmentation("b", 1, 2).bundle().toBytes());
      for (String name : List.of("b", "a", "b")) {
        engine.activate(name);
        assertEquals(name, BundleStore.open(dir.resolve("store")).active().orElseThrow());
      }
    }
  }

  @Test
  void mixedTaskBatchEqualsOneImageAtATime() {
    try (TaskEngine engine = engine(EngineSettings.DEFAULT_RESIDENT_BUDGET)) {
      engine.install(setup.detection("a", 1, 1).bundle().toBytes());
      engine.install(setup.segmentation("b", 1, 2).bundle().toBytes());
      List<TaskRequest> requests = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        requests.add(
            TaskRequest.of(SelfTestImages.synthetic(30 + i, 32, i), i % 2 == 0 ? "a" : "b"));
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
      engine.install(setup.detection("a", 1, 1).bundle().toBytes());
      engine.install(setup.detection("b", 1, 2).bundle().toBytes());
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
