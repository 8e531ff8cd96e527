package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Health;
import dev.promptedge.format.InferResponse;
import dev.promptedge.format.TaskInfo;
import dev.promptedge.format.TaskList;
import dev.promptedge.runtime.daemon.ApiClient;
import dev.promptedge.runtime.daemon.DaemonProcess;
import dev.promptedge.runtime.daemon.TestProfiles;
import dev.promptedge.runtime.json.ProtoJson;
import java.nio.file.Files;
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
 * SIGKILL of the real {@code promptedged} while its update client installs: each round publishes
 * two new bundles, starts the daemon on the same store and kills it at a random point spread over a
 * measured clean install; after every kill the store is consistent (no temp leftovers after open,
 * every bundle passes the reader and matches its targets hash, the active task is installed, what
 * is on trial, kept as previous or quarantined is published bytes), and a final restart finishes
 * the update and serves. No round serves an inference, so every bundle a round installed is still
 * on trial when it is killed and the next start quarantines it: the final restart gets one more
 * published version, installs it and commits it with its first inference.
 */
class OtaDaemonCrashTest {

  @TempDir Path dir;

  @Test
  void killedDaemonInstallsLeaveAConsistentStore() throws Exception {
    run(20, 11);
  }

  @Test
  @Tag("slow")
  void killedDaemonInstallsLeaveAConsistentStoreManyTimes() throws Exception {
    run(50, 12);
  }

  private void run(int rounds, long seed) throws Exception {
    Random random = new Random(seed);
    try (OtaFixture f = new OtaFixture(dir)) {
      Map<String, String> published = new HashMap<>();
      Path store = dir.resolve("device-store");
      Path profile = profile(f, store, "device");
      long installMillis = 0;
      int interrupted = 0;
      for (int i = 1; i <= rounds; i++) {
        OtaCrashRounds.publishRound(f, i, published);
        if (i == 1) {
          installMillis = cleanInstallMillis(f);
        }
        try (DaemonProcess daemon =
            DaemonProcess.start(profile, dir.resolve("stderr-" + i + ".txt"))) {
          Thread.sleep(random.nextInt((int) Math.max(1, installMillis)));
          daemon.process.destroyForcibly(); // SIGKILL
          assertTrue(daemon.process.waitFor(10, TimeUnit.SECONDS));
          assertEquals(137, daemon.process.exitValue(), "killed by SIGKILL");
        }
        if (!assertConsistent(f, store, published, i)) {
          interrupted++;
        }
      }
      System.out.printf(
          "OTA daemon crash: %d rounds, clean install %d ms, %d kills left the update unfinished%n",
          rounds, installMillis, interrupted);
      assertTrue(interrupted >= 1, "no kill landed before the install finished");
      int last = rounds + 1;
      OtaCrashRounds.publishRound(f, last, published);

      try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr-final.txt"))) {
        ApiClient api = new ApiClient(daemon.port, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!atVersion(tasks(api), last) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        TaskList tasks = tasks(api);
        assertTrue(atVersion(tasks, last), "the restarted daemon finished the update: " + tasks);
        Health h =
            ProtoJson.merge(ApiClient.text(api.get("/v1/health")), Health.newBuilder()).build();
        assertFalse(h.getLastUpdate().startsWith("update refused"), h.getLastUpdate());
        InferResponse r = OtaDaemonTest.infer(api);
        assertEquals(tasks.getActive(), r.getBundleName());
        assertEquals(last, r.getBundleVersion());
        assertTrue(OtaDaemonTest.infer(api).getBundleVersion() == last);
        h = ProtoJson.merge(ApiClient.text(api.get("/v1/health")), Health.newBuilder()).build();
        assertFalse(h.getTrialsPendingList().contains(tasks.getActive()), h.toString());
        System.out.printf(
            "OTA daemon crash: %d bundles quarantined (killed on trial)%n",
            h.getQuarantinedSha256Count());
      }
      assertTrue(assertConsistent(f, store, published, last));
    }
  }

  /**
   * Milliseconds from the ready line until a daemon on a fresh store logs the second install of
   * round 1 (read from its log file, so no HTTP client start-up is measured).
   */
  private long cleanInstallMillis(OtaFixture f) throws Exception {
    Path profile = profile(f, dir.resolve("scratch-store"), "scratch");
    Path log = dir.resolve("stderr-scratch.txt");
    try (DaemonProcess daemon = DaemonProcess.start(profile, log)) {
      long start = System.nanoTime();
      long deadline = start + TimeUnit.SECONDS.toNanos(30);
      while (!Files.readString(log).contains("update: installed shapes v1")) {
        assertTrue(
            System.nanoTime() < deadline, "a clean update finishes: " + Files.readString(log));
        Thread.sleep(2);
      }
      return (System.nanoTime() - start) / 1_000_000;
    }
  }

  private Path profile(OtaFixture f, Path store, String name) throws Exception {
    return TestProfiles.write(
        dir.resolve(name + ".textproto"),
        f.setup.card,
        store,
        f.server.url(),
        1,
        List.of(f.rootKeys.get(0).trustedKey()),
        0);
  }

  private static TaskList tasks(ApiClient api) throws Exception {
    return ProtoJson.merge(ApiClient.text(api.get("/v1/tasks")), TaskList.newBuilder()).build();
  }

  private static boolean atVersion(TaskList tasks, long version) {
    return tasks.getTasksCount() == 2
        && tasks.getTasksList().stream().allMatch(t -> t.getVersion() == version)
        && tasks.getTasksList().stream().map(TaskInfo::getName).toList().contains("shapes");
  }

  /**
   * Asserts the store is consistent and returns whether both bundles are at {@code round}'s
   * version.
   */
  private static boolean assertConsistent(
      OtaFixture f, Path store, Map<String, String> published, int round) throws Exception {
    if (!Files.exists(store)) {
      return false;
    }
    Map<String, Long> versions = OtaCrashRounds.assertConsistent(f, store, published);
    return versions.size() == 2 && versions.values().stream().allMatch(v -> v == round);
  }
}
