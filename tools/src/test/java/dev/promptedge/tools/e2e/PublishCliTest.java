package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.SignedBundle;
import dev.promptedge.format.TrustedKey;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.ota.CheckResult;
import dev.promptedge.runtime.ota.DownloadLimits;
import dev.promptedge.runtime.ota.UpdateClient;
import dev.promptedge.runtime.ota.UpdateListener;
import dev.promptedge.runtime.ota.UpdateOptions;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.trust.Ed25519Keys;
import dev.promptedge.tools.cli.PromptEdgeCli;
import dev.promptedge.tools.publish.KeyFiles;
import dev.promptedge.tools.publish.RepoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher's CLI end to end: keys, signing, a repository, and a device taking the update. */
class PublishCliTest {

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PromptEdgeCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void keysArePrivateAndNeverOverwritten() throws Exception {
    Path keys = dir.resolve("keys");
    Run r = cli("keys", "generate", "--out", keys.toString(), "--name", "root");
    assertEquals(0, r.code(), r.err());
    Path key = keys.resolve("root.key");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    String id = KeyFiles.read(key).keyId();
    assertTrue(r.out().contains("key id " + id), r.out());
    assertTrue(r.out().contains("trusted_keys {"), r.out());
    byte[] before = Files.readAllBytes(key);
    Run again = cli("keys", "generate", "--out", keys.toString(), "--name", "root");
    assertEquals(1, again.code());
    assertTrue(again.err().contains("refusing to overwrite"), again.err());
    assertArrayEquals(before, Files.readAllBytes(key));
  }

  @Test
  void signingTwiceWithOneKeyGivesOneSignature() throws Exception {
    MicroSetup setup = new MicroSetup(Files.createDirectories(dir.resolve("b")), false);
    Path bundle = dir.resolve("shapes.bundle");
    Files.write(bundle, setup.detection("shapes", 1, 1).bundle().toBytes());
    cli("keys", "generate", "--out", dir.toString(), "--name", "t");
    Path key = dir.resolve("t.key");
    assertEquals(
        0, cli("bundle", "sign", "--key", key.toString(), "--in", bundle.toString()).code());
    byte[] once = Files.readAllBytes(bundle);
    assertEquals(
        0, cli("bundle", "sign", "--key", key.toString(), "--in", bundle.toString()).code());
    assertArrayEquals(once, Files.readAllBytes(bundle));
    SignedBundle signed = SignedBundle.parseFrom(once);
    assertEquals(1, signed.getSignaturesCount());
    assertTrue(
        Ed25519Keys.verify(
            KeyFiles.read(key).publicKey(),
            signed.getBundle().toByteArray(),
            signed.getSignatures(0).getSignature().toByteArray()));
  }

  @Test
  void aRepositoryMadeWithTheCliIsTakenByADevice() throws Exception {
    MicroSetup setup = new MicroSetup(Files.createDirectories(dir.resolve("b")), false);
    Path keys = dir.resolve("keys");
    for (String role : List.of("root", "targets", "snapshot", "timestamp")) {
      assertEquals(0, cli("keys", "generate", "--out", keys.toString(), "--name", role).code());
    }
    Path repo = dir.resolve("repo");
    Run init =
        cli(
            "repo",
            "init",
            "--dir",
            repo.toString(),
            "--root-key",
            keys.resolve("root.key").toString(),
            "--targets-key",
            keys.resolve("targets.key").toString(),
            "--snapshot-key",
            keys.resolve("snapshot.key").toString(),
            "--timestamp-key",
            keys.resolve("timestamp.key").toString(),
            "--expires",
            "timestamp=2");
    assertEquals(0, init.code(), init.err());
    Path bundle = dir.resolve("shapes.bundle");
    Files.write(bundle, setup.detection("shapes", 1, 1).bundle().toBytes());
    Run add = cli("repo", "add", "--dir", repo.toString(), bundle.toString(), "--boards", "x,y");
    assertEquals(0, add.code(), add.err());
    assertEquals(0, cli("repo", "publish", "--dir", repo.toString()).code());
    Run rotate =
        cli(
            "repo",
            "rotate-root",
            "--dir",
            repo.toString(),
            "--timestamp-key",
            keys.resolve("snapshot.key").toString());
    assertEquals(0, rotate.code(), rotate.err());
    assertTrue(rotate.out().contains("root v2"), rotate.out());

    TrustedKey pinned = KeyFiles.read(keys.resolve("root.key")).trustedKey();
    try (RepoServer server = RepoServer.start(repo, 0);
        Backbone backbone = Backbone.open(setup.card, false, MicroSetup.CONFIG);
        TaskEngine engine =
            TaskEngine.open(
                backbone, BundleStore.open(dir.resolve("store")), EngineSettings.defaults());
        UpdateClient client =
            UpdateClient.open(
                new UpdateOptions(
                    URI.create(server.url()),
                    List.of(pinned),
                    "y",
                    Duration.ofMinutes(5),
                    Duration.ZERO,
                    DownloadLimits.defaults(1 << 20),
                    Clock.systemUTC(),
                    UpdateOptions.DEFAULT_MAX_CLOCK_AHEAD),
                engine,
                UpdateListener.NONE)) {
      CheckResult r = client.checkOnce();
      assertTrue(r.ok(), r.message());
      assertEquals("installed shapes v1", r.message());
      assertEquals("shapes", engine.active().orElseThrow());
      var http = java.net.http.HttpClient.newHttpClient();
      var response =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      URI.create(server.url() + ".publisher/config.properties"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
      assertEquals(404, response.statusCode(), "the publisher's settings are never served");
    }
  }
}
