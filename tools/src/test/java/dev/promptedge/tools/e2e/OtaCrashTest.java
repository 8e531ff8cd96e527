package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TrustedKey;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.store.BundleStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL during an over-the-air install, in a separate JVM killed at random points: after every
 * kill the store is consistent (every bundle parses and passes the reader, the active task's bundle
 * is one the repository published with that hash, no temp-file leftovers after open; what is on
 * trial, kept as previous or quarantined is published bytes too) and a clean run finishes the
 * update. A kill while a bundle is on trial counts as a crash of that bundle: it is quarantined at
 * the next start, so the clean run installs one more published version.
 */
class OtaCrashTest {

  @TempDir Path dir;

  @Test
  void killedInstallsLeaveAConsistentStore() throws Exception {
    run(6, 1);
  }

  @Test
  @Tag("slow")
  void killedInstallsLeaveAConsistentStoreManyTimes() throws Exception {
    run(25, 2);
  }

  private void run(int repetitions, long seed) throws Exception {
    Random random = new Random(seed);
    try (OtaFixture f = new OtaFixture(dir)) {
      Map<String, String> published = new HashMap<>();
      Path store = f.dir.resolve("store");
      int kills = 0;
      long installMillis = 0;
      for (int i = 1; i <= repetitions; i++) {
        // Two tasks each round, so that kills also land between two installs.
        OtaCrashRounds.publishRound(f, i, published);
        if (i == 1) {
          installMillis = cleanRunMillis(f, f.dir.resolve("scratch-store"));
        }
        Process child = start(f, store);
        waitForReady(child);
        // Anywhere inside the update: from download through the store write and activation.
        Thread.sleep(random.nextInt(Math.max(1, (int) (installMillis * 0.9))));
        if (child.isAlive()) {
          kills++;
        }
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        OtaCrashRounds.assertConsistent(f, store, published);
      }
      assertTrue(kills >= repetitions / 2, "most children were killed mid-run: " + kills);
      int last = repetitions + 1;
      OtaCrashRounds.publishRound(f, last, published);
      Process clean = start(f, store);
      assertEquals(0, clean.waitFor(60, TimeUnit.SECONDS) ? clean.exitValue() : -1);
      OtaCrashRounds.assertConsistent(f, store, published);
      BundleStore s = BundleStore.open(store);
      BundleReader reader = new BundleReader(f.setup.card, 1 << 20);
      assertEquals(last, reader.read(s.read("shapes").orElseThrow()).version());
      assertEquals(last, reader.read(s.read("masks").orElseThrow()).version());
      assertEquals(List.of(), s.trials().pending(), "the clean run committed its trials");
      System.out.printf(
          "OTA crash: %d kills, %d bundles quarantined (killed on trial)%n",
          kills, s.trials().quarantined().size());
    }
  }

  /** How long a child takes from ready to done when nothing kills it, on a store of its own. */
  private static long cleanRunMillis(OtaFixture f, Path scratch) throws Exception {
    Process child = start(f, scratch);
    waitForReady(child);
    long start = System.nanoTime();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "a clean update finishes");
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static Process start(OtaFixture f, Path store) throws Exception {
    TrustedKey key = f.rootKeys.get(0).trustedKey();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            OtaCrashChild.class.getName(),
            f.setup.card.path().toString(),
            store.toString(),
            f.server.url(),
            key.getKeyId(),
            key.getPublicKeyBase64())
        .redirectErrorStream(true)
        .start();
  }

  private static void waitForReady(Process child) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.equals("ready")) {
        return;
      }
    }
    throw new AssertionError("the child exited before it was ready: " + child.waitFor());
  }
}
