package dev.promptedge.runtime.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.fixtures.ReadOnlyDirs;
import dev.promptedge.runtime.store.BundleStore;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switch, then acknowledge, on a real engine and a real store: {@code TaskEngine.switchTo} is seen
 * by the next inference before {@code ACTIVE} is written, a burst ends with its last choice on
 * disk, a write the disk refuses switches back to the durable task and fails the acknowledgement,
 * and {@code close()} writes what is pending. The writer is held back by holding the store's own
 * monitor (every {@code BundleStore} method is synchronized on it), not by a fake.
 */
@Timeout(120)
class SwitchThenAcknowledgeTest {

  private static final List<String> TASKS = List.of("a", "b", "c");

  @TempDir Path dir;

  private final BufferedImage image = MicroFixtures.image(48, 40, 3);
  private Path storeDir;
  private Backbone backbone;
  private EngineSettings settings;

  /** Three tasks in the store (the committed fixtures), {@code a} persisted as active. */
  @BeforeEach
  void setUp() throws Exception {
    backbone = Backbone.open(MicroFixtures.backbone(dir), false, MicroFixtures.CONFIG);
    settings =
        new EngineSettings(MicroFixtures.CONFIG, EngineSettings.DEFAULT_RESIDENT_BUDGET, 1 << 20);
    storeDir = dir.resolve("store");
    BundleStore store = BundleStore.open(storeDir);
    store.put("a", MicroFixtures.detection("a", 1, 1).toBytes());
    store.put("b", MicroFixtures.segmentation("b", 1, 2).toBytes());
    store.put("c", MicroFixtures.detection("c", 1, 3).toBytes());
    store.setActive("a");
  }

  @AfterEach
  void tearDown() {
    backbone.close();
  }

  private TaskEngine open() {
    return TaskEngine.open(backbone, BundleStore.open(storeDir), settings);
  }

  /** What {@code ACTIVE} holds now, read through a store of its own. */
  private String onDisk() {
    return BundleStore.open(storeDir).active().orElse("none");
  }

  @Test
  void inferenceUsesTheNewTaskBeforeTheAcknowledgement() throws Exception {
    try (TaskEngine engine = open()) {
      makeResident(engine);
      CompletableFuture<Void> durable;
      synchronized (engine.store()) {
        durable = engine.switchTo("b");
        assertEquals("b", engine.active().orElseThrow());
        assertEquals("b", engine.infer(TaskRequest.active(image)).bundleName());
        assertFalse(durable.isDone(), "acknowledged while the writer could not reach the store");
        assertEquals("a", onDisk(), "ACTIVE was written while the writer was held back");
      }
      durable.get(10, TimeUnit.SECONDS);
      assertEquals("b", onDisk());
    }
  }

  @Test
  void aBurstOfSwitchesPersistsTheLastOne() throws Exception {
    try (TaskEngine engine = open()) {
      makeResident(engine);
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      String last = null;
      synchronized (engine.store()) {
        for (int i = 1; i <= 50; i++) {
          last = TASKS.get(i * 7 % 3);
          acks.add(engine.switchTo(last));
        }
      }
      acks.get(acks.size() - 1).get(10, TimeUnit.SECONDS);
      for (CompletableFuture<Void> ack : acks) {
        assertTrue(ack.isDone() && !ack.isCompletedExceptionally(), "every choice is acknowledged");
      }
      assertEquals(last, engine.active().orElseThrow());
      assertEquals(last, onDisk());
      assertEquals(last, engine.store().active().orElseThrow());
    }
  }

  @Test
  void aWriteTheDiskRefusesSwitchesBackToTheDurableTaskAndFailsTheAcknowledgement()
      throws Exception {
    try (TaskEngine engine = open()) {
      makeResident(engine);
      try {
        assumeTrue(
            ReadOnlyDirs.makeReadOnly(storeDir),
            "neither chmod nor chattr +i makes " + storeDir + " refuse writes on this machine");
        CompletableFuture<Void> durable;
        synchronized (engine.store()) {
          durable = engine.switchTo("c");
          assertEquals("c", engine.infer(TaskRequest.active(image)).bundleName());
        }
        ExecutionException failed =
            assertThrows(ExecutionException.class, () -> durable.get(10, TimeUnit.SECONDS));
        BundleException e = assertInstanceOf(BundleException.class, failed.getCause());
        assertEquals("store_write_failed", e.code());
        assertTrue(e.getMessage().contains("bundle store"), e.getMessage());
        assertTrue(e.getMessage().contains("the active task is still a"), e.getMessage());
        assertEquals("a", engine.active().orElseThrow(), "switched back to the durable task");
        assertEquals("a", engine.infer(TaskRequest.active(image)).bundleName());

        BundleException blocking = assertThrows(BundleException.class, () -> engine.activate("b"));
        assertEquals("store_write_failed", blocking.code());
        assertEquals("a", engine.active().orElseThrow());
      } finally {
        ReadOnlyDirs.makeWritable(storeDir);
      }
      assertEquals("a\n", Files.readString(storeDir.resolve("ACTIVE"), StandardCharsets.UTF_8));
      engine.activate("b");
      assertEquals("b", onDisk(), "with a writable store the switch is acknowledged and durable");
    }
  }

  @Test
  void closeWritesThePendingChoiceAndAnswersItsWaiters() throws Exception {
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    TaskEngine engine = open();
    makeResident(engine);
    engine.activate("b");
    synchronized (engine.store()) {
      acks.add(engine.switchTo("c"));
      acks.add(engine.switchTo("a"));
      acks.add(engine.switchTo("c"));
      assertEquals("b", onDisk());
    }
    engine.close();
    for (CompletableFuture<Void> ack : acks) {
      assertTrue(ack.isDone() && !ack.isCompletedExceptionally(), "close answered every waiter");
    }
    assertEquals("c", onDisk());
    assertThrows(IllegalStateException.class, () -> engine.switchTo("a"));
    try (TaskEngine again = open()) {
      assertEquals("c", again.active().orElseThrow(), "the reopened engine starts on it");
    }
  }

  @Test
  void removingTheDurableTaskMakesTheWaitingSwitchDurableFirst() throws Exception {
    try (TaskEngine engine = open()) {
      makeResident(engine);
      CompletableFuture<Void> durable;
      synchronized (engine.store()) {
        durable = engine.switchTo("b");
        assertEquals("a", onDisk());
        // This thread holds the store's monitor, so the writer thread cannot have written "b".
        engine.remove("a");
        assertEquals("b", onDisk(), "remove wrote the waiting choice before deleting a");
      }
      durable.get(10, TimeUnit.SECONDS);
      assertEquals(List.of("b", "c"), engine.installed());
      assertEquals("b", onDisk());
    }
    try (TaskEngine again = open()) {
      assertEquals("b", again.active().orElseThrow());
    }
  }

  /** Runs each task once, so that a switch loads nothing from the store. */
  private void makeResident(TaskEngine engine) {
    for (String task : TASKS) {
      assertEquals(task, engine.infer(TaskRequest.of(image, task)).bundleName());
    }
    assertEquals(TASKS, engine.resident().stream().sorted().toList());
    assertEquals("a", engine.active().orElseThrow());
  }
}
