package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.store.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The rounds of the OTA crash tests ({@link OtaCrashTest}, {@link OtaDaemonCrashTest}): publish
 * both tasks at one version, then check the store a SIGKILL left behind against what was published.
 */
final class OtaCrashRounds {

  private OtaCrashRounds() {}

  /**
   * Publishes {@code shapes} (detection) and {@code masks} (segmentation) at {@code version}, one
   * repository publish each, and records their hashes in {@code published} as {@code "name vN"}.
   */
  static void publishRound(OtaFixture f, long version, Map<String, String> published)
      throws IOException {
    published.put(
        "shapes v" + version, Sha256.hex(f.publish("shapes", version, version).bundle().toBytes()));
    byte[] masks = f.setup.segmentation("masks", version, 100 + version).bundle().toBytes();
    f.publisher.add(masks, List.of());
    f.publisher.publish();
    published.put("masks v" + version, Sha256.hex(masks));
  }

  /**
   * Asserts the store is consistent: open removes temp leftovers, every bundle passes the reader
   * and matches its targets hash, the active task is installed, and what is on trial, kept as
   * previous or quarantined is published bytes. Returns the version of each installed bundle.
   */
  static Map<String, Long> assertConsistent(OtaFixture f, Path store, Map<String, String> published)
      throws Exception {
    BundleStore s = BundleStore.open(store);
    try (Stream<Path> files = Files.list(store)) {
      assertEquals(
          List.of(),
          files.filter(p -> p.toString().endsWith(AtomicFiles.TEMP_SUFFIX)).toList(),
          "open removes temp leftovers");
    }
    BundleReader reader = new BundleReader(f.setup.card, 1 << 20);
    Map<String, Long> versions = new TreeMap<>();
    for (String name : s.names()) {
      byte[] bytes = s.read(name).orElseThrow();
      Bundle b = reader.read(bytes);
      assertEquals(
          published.get(name + " v" + b.version()),
          Sha256.hex(bytes),
          name + " v" + b.version() + " matches its targets hash");
      versions.put(name, b.version());
    }
    s.active()
        .ifPresent(
            name -> assertTrue(s.names().contains(name), "active " + name + " is installed"));
    assertTrialFilesPublished(store, published);
    return versions;
  }

  /**
   * Every bundle on trial, kept as previous or in quarantine holds bytes the repository published.
   */
  private static void assertTrialFilesPublished(Path store, Map<String, String> published)
      throws Exception {
    for (String area : List.of("pending", "previous", "quarantine")) {
      Path dir = store.resolve(area);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(p -> p.toString().endsWith(".bundle")).toList()) {
          assertTrue(
              published.containsValue(Sha256.hex(Files.readAllBytes(file))),
              area + "/" + file.getFileName() + " holds published bytes");
        }
      }
    }
  }
}
