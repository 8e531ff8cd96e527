package dev.promptedge.runtime.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's layout on real files: digests, trials, quarantine, and what ACTIVE may hold. */
class BundleStoreTest {

  @TempDir Path dir;

  private final byte[] v1 = "bundle a v1".getBytes(StandardCharsets.UTF_8);
  private final byte[] v2 = "bundle a v2".getBytes(StandardCharsets.UTF_8);

  @Test
  void aTrialKeepsThePreviousVersionUntilItEnds() throws Exception {
    BundleStore store = BundleStore.open(dir);
    store.put("a", v1);
    Trials trials = store.trials();
    trials.begin("a", v2);
    trials.keepPrevious("a");
    store.put("a", v2);
    assertEquals(List.of("a"), trials.pending());
    assertArrayEquals(v1, Files.readAllBytes(dir.resolve("previous/a.bundle")));

    assertEquals("restored the version before it", trials.rollBack("a"));
    assertArrayEquals(v1, store.read("a").orElseThrow());
    assertEquals(Optional.empty(), store.digestProblem("a", v1), "the digest came back too");
    assertEquals(List.of(), trials.pending());
    assertFalse(Files.exists(dir.resolve("previous/a.bundle")));

    trials.begin("a", v2);
    trials.keepPrevious("a");
    store.put("a", v2);
    trials.finish("a");
    assertArrayEquals(v2, store.read("a").orElseThrow(), "a commit keeps the new version");
    assertFalse(Files.exists(dir.resolve("previous/a.bundle")));
    assertFalse(Files.exists(dir.resolve("pending/a.bundle")));
  }

  @Test
  void aQuarantinedTrialIsRefusedByItsDigestAndAFirstInstallIsRemoved() {
    BundleStore store = BundleStore.open(dir);
    store.put("b", v1);
    store.setActive("b");
    Trials trials = store.trials();
    trials.begin("a", v2);
    store.put("a", v2);
    store.setActive("a");

    Trials.Quarantined q = trials.quarantine("a", "crashed").orElseThrow();
    assertEquals(Sha256.hex(v2), q.sha256());
    assertTrue(q.reason().contains("removed the task"), q.reason());
    assertTrue(trials.isQuarantined(Sha256.hex(v2)));
    assertFalse(trials.isQuarantined(Sha256.hex(v1)));
    assertFalse(trials.isQuarantined("../../etc/passwd"));
    assertEquals(
        List.of("a"), trials.quarantined().stream().map(Trials.Quarantined::name).toList());
    assertEquals(List.of("b"), store.names());
    assertEquals("b", store.active().orElseThrow(), "ACTIVE moved back before the removal");
    assertEquals(Optional.empty(), trials.quarantine("a", "again"), "no trial left");
  }

  /**
   * A kill after a commit deleted the trial's record but before it deleted the copy of the version
   * before leaves a trial that ended: the new version stays installed, and the stale copy is never
   * restored by the next trial.
   */
  @Test
  void aCommitCutShortKeepsTheNewVersionAndItsStaleCopyIsNeverRestored() throws Exception {
    BundleStore store = BundleStore.open(dir);
    store.put("a", v1);
    store.trials().begin("a", v2);
    store.trials().keepPrevious("a");
    store.put("a", v2);
    Files.delete(dir.resolve("pending/a.bundle")); // the commit's first step
    assertTrue(Files.exists(dir.resolve("previous/a.bundle")));

    BundleStore reopened = BundleStore.open(dir);
    Trials trials = reopened.trials();
    assertEquals(List.of(), trials.pending(), "the trial ended");
    assertArrayEquals(v2, reopened.read("a").orElseThrow());
    assertEquals(Optional.empty(), reopened.digestProblem("a", v2));
    assertFalse(
        trials.recordsVersion("a", Sha256.hex(v1)), "a copy without its trial vouches for nothing");

    byte[] v3 = "bundle a v3".getBytes(StandardCharsets.UTF_8);
    trials.begin("a", v3);
    assertFalse(Files.exists(dir.resolve("previous/a.bundle")), "the stale copy went first");
    trials.keepPrevious("a");
    reopened.put("a", v3);
    assertEquals("restored the version before it", trials.rollBack("a"));
    assertArrayEquals(v2, reopened.read("a").orElseThrow(), "v2, not the stale v1");
  }

  /**
   * A kill between replacing a bundle file and writing its digest leaves the new bytes beside the
   * old digest: the trial's own copy vouches for them, and the trial then rolls back as usual.
   */
  @Test
  void aWriteCutBeforeItsDigestIsFinishedFromTheTrialsCopy() throws Exception {
    BundleStore store = BundleStore.open(dir);
    store.put("a", v1);
    Trials trials = store.trials();
    trials.begin("a", v2);
    trials.keepPrevious("a");
    AtomicFiles.write(dir.resolve("a.bundle"), v2); // the digest still records v1

    BundleStore reopened = BundleStore.open(dir);
    assertEquals(Optional.empty(), reopened.digestProblem("a", v2));
    assertEquals(
        Sha256.hex(v2), Files.readString(dir.resolve("a.sha256"), StandardCharsets.UTF_8).strip());
    assertEquals("restored the version before it", reopened.trials().rollBack("a"));
    assertArrayEquals(v1, reopened.read("a").orElseThrow());
    assertEquals(Optional.empty(), reopened.digestProblem("a", v1));

    byte[] other = "bundle a v3".getBytes(StandardCharsets.UTF_8);
    reopened.trials().begin("a", v2);
    AtomicFiles.write(dir.resolve("a.bundle"), other);
    assertTrue(
        reopened.digestProblem("a", other).orElseThrow().contains("changed on disk"),
        "bytes no trial records stay a problem");
  }

  @Test
  void digestsCatchChangedBytesAndJunkIsNotATask() throws Exception {
    BundleStore store = BundleStore.open(dir);
    store.put("a", v1);
    byte[] flipped = v1.clone();
    flipped[3] ^= 1;
    Files.write(dir.resolve("a.bundle"), flipped);
    assertTrue(store.digestProblem("a", flipped).orElseThrow().contains("changed on disk"));

    Files.createDirectories(dir.resolve("x.bundle"));
    Files.write(dir.resolve("Upper.bundle"), v1);
    assertEquals(List.of("a"), store.names());
    assertEquals(2, store.junk().size());
    Path moved = store.moveAside(dir.resolve("x.bundle"), "not a bundle file");
    assertTrue(Files.isDirectory(moved));
    assertEquals(
        "not a bundle file\n",
        Files.readString(moved.resolveSibling(moved.getFileName() + ".reason")));
    assertEquals(Optional.empty(), store.read("../a"), "not a task name: not installed");
  }

  @Test
  void anActiveFileThatNamesNoTaskSaysWhy() throws Exception {
    BundleStore store = BundleStore.open(dir);
    assertEquals("ACTIVE does not exist", store.activeProblem().orElseThrow());
    Files.write(dir.resolve("ACTIVE"), new byte[] {(byte) 0xc3, 0x28});
    assertEquals("ACTIVE is not UTF-8 text", store.activeProblem().orElseThrow());
    Files.write(dir.resolve("ACTIVE"), new byte[0]);
    assertTrue(store.activeProblem().orElseThrow().startsWith("ACTIVE is empty"));
    Files.delete(dir.resolve("ACTIVE"));
    Files.createDirectories(dir.resolve("ACTIVE"));
    assertEquals("ACTIVE is not a regular file", store.activeProblem().orElseThrow());
    assertEquals(Optional.empty(), store.active());

    store.setActive("a");
    store.setActive("b");
    assertEquals("b", store.active().orElseThrow());
    assertEquals("a", store.previousActive().orElseThrow());
    assertEquals(Optional.empty(), store.activeProblem());
  }
}
