package dev.promptedge.runtime.daemon;

import static dev.promptedge.runtime.daemon.ApiClient.error;
import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Health;
import dev.promptedge.format.InferResponse;
import dev.promptedge.format.TaskList;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.json.ProtoJson;
import dev.promptedge.runtime.store.Sha256;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trial activation through uploads, on the real daemon process: a bundle stays pending until its
 * first inference; SIGKILL while it is pending stands for a bundle that crashes native code, and
 * the next start quarantines it, restores the version before, reports it and refuses the same
 * bytes.
 */
class TrialRevertTest {

  @TempDir Path dir;

  private Path store;
  private Path profile;

  /** A profile without updates for the committed micro backbone and the store {@code dir/store}. */
  @BeforeEach
  void writeProfile() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    store = dir.resolve("store");
    profile = TestProfiles.write(dir.resolve("device.textproto"), card, store, "", 0, List.of(), 0);
  }

  /** The daemon's {@code run}-th start on the profile, its stderr in {@code stderr-RUN.txt}. */
  private DaemonProcess start(int run) throws Exception {
    return DaemonProcess.start(profile, dir.resolve("stderr-" + run + ".txt"));
  }

  @Test
  void aBundleKilledOnTrialIsQuarantinedAndThePreviousVersionServes() throws Exception {
    byte[] v1 = MicroFixtures.detection("detect", 1, 1).toBytes();
    byte[] v2 = MicroFixtures.detection("detect", 2, 2).toBytes();
    byte[] v3 = MicroFixtures.detection("detect", 3, 3).toBytes();
    byte[] other = MicroFixtures.segmentation("segment", 1, 4).toBytes();

    try (DaemonProcess daemon = start(1)) {
      ApiClient api = new ApiClient(daemon.port, null);
      assertEquals(201, api.post("/v1/bundles", v1).statusCode());
      assertEquals(201, api.post("/v1/bundles", other).statusCode());
      assertEquals(List.of("detect", "segment"), health(api).getTrialsPendingList());
      assertEquals(1, infer(api, "detect").getBundleVersion());
      assertEquals(1, infer(api, "segment").getBundleVersion());
      assertEquals(List.of(), health(api).getTrialsPendingList(), "the first inference commits");
      assertFalse(Files.exists(store.resolve("previous/detect.bundle")));

      HttpResponse<byte[]> r = api.post("/v1/bundles", v2);
      assertEquals(201, r.statusCode(), text(r));
      assertEquals(List.of("detect"), health(api).getTrialsPendingList());
      assertArrayEquals(v2, Files.readAllBytes(store.resolve("detect.bundle")));
      assertArrayEquals(v1, Files.readAllBytes(store.resolve("previous/detect.bundle")));
      assertArrayEquals(v2, Files.readAllBytes(store.resolve("pending/detect.bundle")));
      assertEquals(137, daemon.kill(), "SIGKILL before v2 served anything: it \"crashed\"");
    }

    String sha = Sha256.hex(v2);
    try (DaemonProcess daemon = start(2)) {
      ApiClient api = new ApiClient(daemon.port, null);
      assertTrue(daemon.readyLine.contains("active task detect, 2 installed"), daemon.readyLine);
      assertEquals(1, infer(api, "detect").getBundleVersion(), "the previous version serves");
      assertEquals(1, infer(api, "").getBundleVersion());

      Health h = health(api);
      assertEquals(List.of(sha), h.getQuarantinedSha256List());
      assertEquals(1, h.getStoreEventsCount(), h.toString());
      assertTrue(h.getStoreEvents(0).startsWith("quarantined bundle 'detect' v2"), h.toString());
      assertTrue(h.getLastUpdate().startsWith("quarantined bundle 'detect' v2"), h.toString());
      String log = daemon.stderrText();
      assertEquals(1, count(log, "quarantined bundle 'detect' v2"), log);
      String metrics = text(api.get("/metrics"));
      assertTrue(metrics.contains("promptedge_store_events_total{kind=\"quarantined\"} 1\n"));
      assertTrue(metrics.contains("promptedge_quarantined_bundles 1\n"), metrics);

      assertArrayEquals(v2, Files.readAllBytes(store.resolve("quarantine/" + sha + ".bundle")));
      assertArrayEquals(v1, Files.readAllBytes(store.resolve("detect.bundle")));
      assertEquals(
          Sha256.hex(v1), Files.readString(store.resolve("detect.sha256")).strip(), "digest");
      assertEquals(List.of(), list(store.resolve("pending")));
      assertEquals(List.of(), list(store.resolve("previous")));

      HttpResponse<byte[]> r = api.post("/v1/bundles", v2);
      assertEquals(422, r.statusCode(), text(r));
      assertEquals("quarantined", error(r).getCode());
      assertTrue(error(r).getMessage().contains(sha.substring(0, 12)), text(r));
      assertEquals(1, infer(api, "detect").getBundleVersion(), "the refusal changed nothing");
      assertTrue(
          text(api.get("/metrics"))
              .contains("promptedge_bundle_rejections_total{reason=\"quarantined\"} 1\n"));

      r = api.post("/v1/bundles", v3);
      assertEquals(201, r.statusCode(), "a fixed, newer bundle installs: " + text(r));
      assertEquals(3, infer(api, "detect").getBundleVersion());
      assertTrue(daemon.process.isAlive());
      daemon.stop();
    }

    try (DaemonProcess daemon = start(3)) {
      ApiClient api = new ApiClient(daemon.port, null);
      Health h = health(api);
      assertEquals(List.of(), h.getStoreEventsList(), "v3 committed: nothing to revert");
      assertEquals(List.of(sha), h.getQuarantinedSha256List(), "the quarantine is kept");
      assertEquals(3, infer(api, "detect").getBundleVersion());
    }
  }

  @Test
  void aCleanStopCommitsAndAFirstInstallKilledOnTrialIsRemoved() throws Exception {
    byte[] detect = MicroFixtures.detection("detect", 1, 1).toBytes();
    byte[] segment = MicroFixtures.segmentation("segment", 1, 2).toBytes();
    try (DaemonProcess daemon = start(1)) {
      ApiClient api = new ApiClient(daemon.port, null);
      assertEquals(201, api.post("/v1/bundles", detect).statusCode());
      daemon.stop(); // a clean stop commits the trial
    }
    try (DaemonProcess daemon = start(2)) {
      ApiClient api = new ApiClient(daemon.port, null);
      assertEquals(List.of(), health(api).getStoreEventsList());
      assertEquals(201, api.post("/v1/bundles", segment).statusCode());
      daemon.kill(); // segment had no version before its trial
    }
    try (DaemonProcess daemon = start(3)) {
      ApiClient api = new ApiClient(daemon.port, null);
      TaskList tasks = ProtoJson.merge(text(api.get("/v1/tasks")), TaskList.newBuilder()).build();
      assertEquals(1, tasks.getTasksCount(), tasks.toString());
      assertEquals("detect", tasks.getActive());
      Health h = health(api);
      assertEquals(1, h.getStoreEventsCount(), h.toString());
      assertTrue(h.getStoreEvents(0).contains("removed the task"), h.toString());
      assertEquals(1, infer(api, "").getBundleVersion());
    }
  }

  @Test
  void aTrialCommitsAfterItsInferencesOrItsTime() throws Exception {
    byte[] v1 = MicroFixtures.detection("detect", 1, 1).toBytes();
    byte[] v2 = MicroFixtures.detection("detect", 2, 2).toBytes();
    String text = Files.readString(profile);
    Files.writeString(
        profile,
        text.replace(
            "max_bundle_bytes: 1048576 }",
            "max_bundle_bytes: 1048576 trial_inferences: 3 trial_seconds: 4 }"));
    try (DaemonProcess daemon = start(1)) {
      ApiClient api = new ApiClient(daemon.port, null);
      long installed = System.nanoTime();
      assertEquals(201, api.post("/v1/bundles", v1).statusCode());
      infer(api, "detect");
      infer(api, "detect");
      List<String> pending = health(api).getTrialsPendingList();
      if (System.nanoTime() - installed < TimeUnit.SECONDS.toNanos(3)) {
        assertEquals(List.of("detect"), pending, "2 of 3 inferences do not commit");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!health(api).getTrialsPendingList().isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "trial_seconds never committed v1");
        Thread.sleep(100);
      }
      assertTrue(System.nanoTime() - installed >= TimeUnit.SECONDS.toNanos(4), "not before 4 s");

      installed = System.nanoTime();
      assertEquals(201, api.post("/v1/bundles", v2).statusCode());
      for (int i = 0; i < 3; i++) {
        infer(api, "detect");
      }
      assertEquals(List.of(), health(api).getTrialsPendingList(), "the third inference commits");
      assertTrue(System.nanoTime() - installed < TimeUnit.SECONDS.toNanos(4), "before the time");
      daemon.kill();
    }
    try (DaemonProcess daemon = start(2)) {
      ApiClient api = new ApiClient(daemon.port, null);
      assertEquals(List.of(), health(api).getStoreEventsList(), "nothing was on trial");
      assertEquals(2, infer(api, "detect").getBundleVersion());
    }
  }

  static InferResponse infer(ApiClient api, String task) throws Exception {
    HttpResponse<byte[]> r =
        api.post(
            task.isEmpty() ? "/v1/infer" : "/v1/infer?task=" + task, MicroFixtures.png(64, 48, 1));
    assertEquals(200, r.statusCode(), text(r));
    InferResponse result = ProtoJson.merge(text(r), InferResponse.newBuilder()).build();
    if (!task.isEmpty()) {
      assertEquals(task, result.getBundleName());
    }
    return result;
  }

  static Health health(ApiClient api) throws Exception {
    HttpResponse<byte[]> r = api.get("/v1/health");
    assertEquals(200, r.statusCode(), text(r));
    return ProtoJson.merge(text(r), Health.newBuilder()).build();
  }

  static List<String> list(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static int count(String text, String needle) {
    return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
  }
}
