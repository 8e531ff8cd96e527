package dev.promptedge.runtime.daemon;

import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.FloatTensor;
import dev.promptedge.format.Health;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.TaskInfo;
import dev.promptedge.format.TaskList;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.json.ProtoJson;
import dev.promptedge.runtime.store.BundleStore;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up never depends on one file: each damage a store can suffer (truncated, zero-length,
 * swapped or bit-flipped bundles, junk named {@code *.bundle}, an {@code ACTIVE} that is missing,
 * not UTF-8 or a directory) is made with real files, and the real daemon process must start, log
 * the damage once, move it aside and serve every intact bundle.
 */
class StoreDamageTest {

  @TempDir Path dir;

  private CardFile card;
  private Map<String, byte[]> bundles;
  private int run;

  @BeforeEach
  void pack() throws Exception {
    card = MicroFixtures.backbone(dir.resolve("backbone"));
    bundles = MicroFixtures.threeTasks();
  }

  @Test
  void damagedBundlesAreMovedAsideAndTheRestServes() throws Exception {
    Path store = freshStore();
    Path file = store.resolve("detect.bundle");
    Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) / 2));
    serve(store, "segment", List.of("classify", "segment"), "task 'detect' aside");
    List<String> aside = TrialRevertTest.list(store.resolve("damaged"));
    assertTrue(aside.stream().anyMatch(f -> f.matches("detect\\.bundle\\.\\d+")), aside.toString());
    assertTrue(aside.stream().anyMatch(f -> f.endsWith(".reason")), aside.toString());

    store = freshStore();
    Files.write(store.resolve("detect.bundle"), new byte[0]);
    Files.delete(store.resolve("detect.sha256")); // a store written before digests existed
    serve(store, "segment", List.of("classify", "segment"), "refused (corrupt)");

    store = freshStore();
    swap(store, "detect", "segment");
    serve(store, "classify", List.of("classify"), "holds bundle 'segment' v1, not 'detect'");

    store = freshStore();
    flip(store, "classify", promptBytes(bundles.get("classify")));
    serve(store, "detect", List.of("detect", "segment"), "task 'classify' aside");

    store = freshStore();
    byte[] head =
        BundleReader.parse(bundles.get("detect"), Long.MAX_VALUE).bundle().getHead().toByteArray();
    flip(store, "detect", Arrays.copyOfRange(head, head.length / 2, head.length / 2 + 16));
    serve(store, "segment", List.of("classify", "segment"), "changed on disk since it was stored");

    store = freshStore();
    Files.createDirectories(store.resolve("x.bundle"));
    serve(store, "detect", List.of("classify", "detect", "segment"), "moved x.bundle");
    assertTrue(Files.notExists(store.resolve("x.bundle")));
  }

  @Test
  void aBadActiveFileFallsBackToThePreviousOrTheFirstValidTask() throws Exception {
    Path store = freshStore();
    Files.write(store.resolve("ACTIVE"), new byte[] {(byte) 0xff, (byte) 0xfe, 'd', '\n'});
    serve(store, "segment", List.of("classify", "detect", "segment"), "ACTIVE is not UTF-8 text");
    assertEquals("segment", BundleStore.open(store).active().orElseThrow(), "fallback persisted");

    store = freshStore();
    Files.delete(store.resolve("ACTIVE"));
    Files.createDirectories(store.resolve("ACTIVE"));
    serve(store, "segment", List.of("classify", "detect", "segment"), "ACTIVE is not a regular");
    assertTrue(Files.isRegularFile(store.resolve("ACTIVE")));

    store = freshStore();
    Files.delete(store.resolve("ACTIVE"));
    Files.delete(store.resolve("ACTIVE.previous"));
    serve(
        store,
        "classify",
        List.of("classify", "detect", "segment"),
        "ACTIVE does not exist: activating 'classify' (the first valid task)");

    store = freshStore();
    Files.writeString(store.resolve("ACTIVE"), "gone\n");
    serve(store, "segment", List.of("classify", "detect", "segment"), "names task 'gone'");
  }

  /** A store holding the three bundles with ACTIVE = detect and segment active before it. */
  private Path freshStore() {
    Path store = dir.resolve("store-" + ++run);
    BundleStore s = BundleStore.open(store);
    bundles.forEach(s::put);
    s.setActive("segment");
    s.setActive("detect");
    return store;
  }

  /** Starts the daemon on {@code store} and checks what it serves and logs. */
  private void serve(Path store, String active, List<String> tasks, String logged)
      throws Exception {
    Path profile =
        TestProfiles.write(
            dir.resolve("device-" + run + ".textproto"), card, store, "", 0, List.of(), 0);
    try (DaemonProcess daemon =
        DaemonProcess.start(profile, dir.resolve("stderr-" + run + ".txt"))) {
      ApiClient api = new ApiClient(daemon.port, null);
      HttpResponse<byte[]> r = api.get("/v1/tasks");
      assertEquals(200, r.statusCode(), text(r));
      TaskList list = ProtoJson.merge(text(r), TaskList.newBuilder()).build();
      assertEquals(tasks, list.getTasksList().stream().map(TaskInfo::getName).toList());
      assertEquals(active, list.getActive());
      assertEquals(active, TrialRevertTest.infer(api, "").getBundleName());
      for (String task : tasks) {
        TrialRevertTest.infer(api, task);
      }
      String log = daemon.stderrText();
      assertEquals(1, TrialRevertTest.count(log, logged), log);
      Health h = TrialRevertTest.health(api);
      assertTrue(h.getStoreEventsList().stream().anyMatch(e -> e.contains(logged)), h.toString());
      assertTrue(daemon.process.isAlive());
    }
  }

  private static void swap(Path store, String a, String b) throws Exception {
    for (String suffix : List.of(".bundle", ".sha256")) {
      Path x = store.resolve(a + suffix);
      Path y = store.resolve(b + suffix);
      Path t = store.resolve("swap.tmp");
      Files.move(x, t);
      Files.move(y, x);
      Files.move(t, y);
    }
  }

  /** Flips the lowest bit of the byte in the middle of {@code part} inside the stored bundle. */
  private static void flip(Path store, String name, byte[] part) throws Exception {
    Path file = store.resolve(name + ".bundle");
    byte[] bytes = Files.readAllBytes(file);
    int at = indexOf(bytes, part);
    assertTrue(at >= 0, "the part is in the file");
    bytes[at + part.length / 2] ^= 1;
    Files.write(file, bytes);
  }

  /**
   * The first 16 bytes of the bundle's prompt values as serialized (packed little-endian floats).
   */
  private static byte[] promptBytes(byte[] bundle) {
    PromptBundle b = BundleReader.parse(bundle, Long.MAX_VALUE).bundle();
    FloatTensor prompt = BundleInputs.named(b).get(0).getTensor();
    ByteBuffer out = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 4; i++) {
      out.putFloat(prompt.getValues(i));
    }
    return out.array();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
