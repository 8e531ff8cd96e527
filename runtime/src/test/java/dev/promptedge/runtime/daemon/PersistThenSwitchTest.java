package dev.promptedge.runtime.daemon;

import static dev.promptedge.runtime.daemon.ApiClient.error;
import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.promptedge.format.ApiError;
import dev.promptedge.format.TaskList;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.fixtures.ReadOnlyDirs;
import dev.promptedge.runtime.json.ProtoJson;
import dev.promptedge.runtime.store.BundleStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persist-then-switch on the real daemon: when the choice of the active task cannot be made durable
 * ({@code PUT /v1/tasks/active} on a full tmpfs, or on a directory that refuses writes), the call
 * is a 507 naming the store's disk, and the active task is unchanged in memory and after a restart;
 * an upload on the full disk is refused the same way and leaves nothing behind.
 */
class PersistThenSwitchTest {

  @TempDir Path dir;

  @Test
  void aSwitchOnAFullDiskFailsAndChangesNothing() throws Exception {
    Path store = Files.createDirectories(dir.resolve("store"));
    String mounted =
        ReadOnlyDirs.run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", store.toString());
    assumeTrue(
        mounted.isEmpty(),
        "mount -t tmpfs is not allowed here (needs root): "
            + mounted
            + "; aSwitchOnAReadOnlyStoreFailsAndChangesNothing covers the rule");
    try {
      CardFile card = prepare(store);
      Path profile = profile(card, store);
      try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr-1.txt"))) {
        ApiClient api = new ApiClient(daemon.port, null);
        assertEquals("detect", TrialRevertTest.infer(api, "").getBundleName());
        fill(store.resolve("filler"));

        ApiError e = refused(api.put("/v1/tasks/active", "{\"name\": \"segment\"}"));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertUnchanged(api, store);

        byte[] classify = MicroFixtures.classification("classify", 1, 3).toBytes();
        refused(api.post("/v1/bundles", classify));
        assertEquals(List.of("detect", "segment"), installed(api));
        assertEquals(List.of(), TrialRevertTest.list(store.resolve("pending")));
        assertTrue(daemon.process.isAlive());
        daemon.kill();
      }
      try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr-2.txt"))) {
        ApiClient api = new ApiClient(daemon.port, null);
        assertUnchanged(api, store);
        Files.delete(store.resolve("filler"));
        HttpResponse<byte[]> r = api.put("/v1/tasks/active", "{\"name\": \"segment\"}");
        assertEquals(200, r.statusCode(), "with space again the switch works: " + text(r));
        assertEquals("segment", TrialRevertTest.infer(api, "").getBundleName());
      }
      assertEquals("segment", BundleStore.open(store).active().orElseThrow());
    } finally {
      ReadOnlyDirs.run("umount", store.toString());
    }
  }

  @Test
  void aSwitchOnAReadOnlyStoreFailsAndChangesNothing() throws Exception {
    Path store = Files.createDirectories(dir.resolve("store"));
    CardFile card = prepare(store);
    Path profile = profile(card, store);
    try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr-1.txt"))) {
      ApiClient api = new ApiClient(daemon.port, null);
      try {
        assumeTrue(
            ReadOnlyDirs.makeReadOnly(store),
            "neither chmod nor chattr +i makes " + store + " refuse writes on this machine");
        refused(api.put("/v1/tasks/active", "{\"name\": \"segment\"}"));
        assertUnchanged(api, store);
      } finally {
        ReadOnlyDirs.makeWritable(store);
      }
      daemon.kill();
    }
    try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr-2.txt"))) {
      assertUnchanged(new ApiClient(daemon.port, null), store);
    }
  }

  /** Two tasks in {@code store}, detect active. */
  private CardFile prepare(Path store) throws IOException {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    BundleStore s = BundleStore.open(store);
    s.put("detect", MicroFixtures.detection("detect", 1, 1).toBytes());
    s.put("segment", MicroFixtures.segmentation("segment", 1, 2).toBytes());
    s.setActive("detect");
    return card;
  }

  private Path profile(CardFile card, Path store) throws IOException {
    return TestProfiles.write(dir.resolve("device.textproto"), card, store, "", 0, List.of(), 0);
  }

  private static ApiError refused(HttpResponse<byte[]> r) {
    assertEquals(507, r.statusCode(), text(r));
    ApiError e = error(r);
    assertEquals("store_write_failed", e.getCode());
    assertTrue(e.getMessage().contains("bundle store"), e.getMessage());
    return e;
  }

  /** detect is active in the daemon, serves requests without a task, and is the one on disk. */
  private static void assertUnchanged(ApiClient api, Path store) throws Exception {
    TaskList tasks = ProtoJson.merge(text(api.get("/v1/tasks")), TaskList.newBuilder()).build();
    assertEquals("detect", tasks.getActive());
    assertEquals("detect", TrialRevertTest.infer(api, "").getBundleName());
    assertEquals("detect\n", Files.readString(store.resolve("ACTIVE"), StandardCharsets.UTF_8));
  }

  private static List<String> installed(ApiClient api) throws Exception {
    TaskList tasks = ProtoJson.merge(text(api.get("/v1/tasks")), TaskList.newBuilder()).build();
    return tasks.getTasksList().stream().map(t -> t.getName()).toList();
  }

  /** Writes {@code file} until the disk is full. */
  private static void fill(Path file) throws IOException {
    byte[] chunk = new byte[4096];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < 1 << 20; i++) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException e) {
      assertTrue(String.valueOf(e.getMessage()).contains("No space left"), e.toString());
      return;
    }
    throw new AssertionError("the tmpfs never filled up");
  }
}
