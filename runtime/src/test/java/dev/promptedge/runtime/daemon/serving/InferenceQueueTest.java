package dev.promptedge.runtime.daemon.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.fixtures.MicroEngine;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batching queue on the real interpreter: mixed tasks in one call, same numbers, back-pressure.
 * The backbone, bundles and images are the committed fixtures ({@link MicroFixtures}).
 */
class InferenceQueueTest {

  private static final List<String> TASKS = MicroFixtures.THREE_TASKS;

  @TempDir Path dir;

  private MicroEngine micro;
  private TaskEngine engine;

  @BeforeEach
  void setUp() throws Exception {
    micro = MicroEngine.open(dir);
    engine = micro.engine();
    MicroFixtures.threeTasks().values().forEach(engine::install);
  }

  @AfterEach
  void tearDown() {
    micro.close();
  }

  @Test
  void concurrentMixedTasksShareBackboneCallsAndMatchUnbatchedResults() throws Exception {
    int n = 18;
    List<BufferedImage> images = new ArrayList<>();
    List<float[]> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BufferedImage image = MicroFixtures.image(40 + 4 * i, 36 + 3 * i, i);
      images.add(image);
      expected.add(engine.infer(TaskRequest.of(image, task(i))).headOutput());
    }
    Metrics metrics = new Metrics();
    List<QueuedResult> results = new ArrayList<>();
    try (InferenceQueue queue = new InferenceQueue(engine, metrics, 6, 200, 64)) {
      ExecutorService clients = Executors.newFixedThreadPool(n);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<QueuedResult>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        futures.add(
            clients.submit(
                () -> {
                  go.await();
                  return queue.submit(TaskRequest.of(images.get(k), task(k))).get();
                }));
      }
      go.countDown();
      for (Future<QueuedResult> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      clients.shutdown();
    }
    boolean mixedBatch = false;
    for (int i = 0; i < n; i++) {
      QueuedResult r = results.get(i);
      assertEquals(task(i), r.result().bundleName(), "request " + i);
      assertEquals(1, r.result().bundleVersion());
      assertArrayEquals(expected.get(i), r.result().headOutput(), 1e-5f, "request " + i);
      mixedBatch |= r.batchSize() > 1;
    }
    assertTrue(mixedBatch, "no two requests shared a backbone call");
    assertEquals(n, metrics.batchedRequests());
    assertTrue(metrics.batches() < n, "batches: " + metrics.batches());
    assertTrue(
        metrics
            .render()
            .contains("promptedge_inference_latency_seconds_count{task=\"segment\"} 6"));
  }

  @Test
  void aFullQueueRefusesAndCloseAnswersEveryQueuedRequest() throws Exception {
    BufferedImage image = MicroFixtures.image(64, 64, 9);
    List<CompletableFuture<QueuedResult>> accepted = new ArrayList<>();
    int refused = 0;
    InferenceQueue queue = new InferenceQueue(engine, new Metrics(), 1, 0, 2);
    for (int i = 0; i < 40; i++) {
      try {
        accepted.add(queue.submit(TaskRequest.of(image, task(i))));
      } catch (QueueFullException e) {
        refused++;
        assertTrue(e.getMessage().contains("queue is full"), e.getMessage());
      }
    }
    queue.close();
    assertTrue(refused > 0, "40 requests at once never filled a queue of 2");
    Set<String> names = new HashSet<>();
    for (CompletableFuture<QueuedResult> f : accepted) {
      assertTrue(f.isDone(), "close() returned before answering a queued request");
      names.add(f.get().result().bundleName());
    }
    assertTrue(TASKS.containsAll(names));
    assertThrows(IllegalStateException.class, () -> queue.submit(TaskRequest.active(image)));
  }

  @Test
  void aRequestForARemovedTaskFailsAloneInItsBatch() throws Exception {
    BufferedImage image = MicroFixtures.image(48, 48, 4);
    try (InferenceQueue queue = new InferenceQueue(engine, new Metrics(), 4, 300, 8)) {
      CompletableFuture<QueuedResult> ok = queue.submit(TaskRequest.of(image, "detect"));
      CompletableFuture<QueuedResult> gone = queue.submit(TaskRequest.of(image, "missing"));
      CompletableFuture<QueuedResult> ok2 = queue.submit(TaskRequest.of(image, "classify"));
      assertEquals("detect", ok.get().result().bundleName());
      assertEquals("classify", ok2.get().result().bundleName());
      Exception e = assertThrows(Exception.class, gone::get);
      assertTrue(e.getCause().getMessage().contains("no task 'missing'"), e.toString());
    }
  }

  private static String task(int i) {
    return TASKS.get(i % TASKS.size());
  }
}
