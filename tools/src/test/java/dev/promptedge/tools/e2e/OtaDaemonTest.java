package dev.promptedge.tools.e2e;

import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Health;
import dev.promptedge.format.InferResponse;
import dev.promptedge.runtime.daemon.ApiClient;
import dev.promptedge.runtime.daemon.DaemonProcess;
import dev.promptedge.runtime.daemon.TestProfiles;
import dev.promptedge.runtime.json.ProtoJson;
import dev.promptedge.tools.pack.SelfTestImages;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update client inside the real {@code promptedged} process: it polls a signed repository on
 * loopback every second, installs v1 and then v2 (the active task moves to v2), refuses a v3 that
 * fails its self-test while v2 keeps serving, and names the refusal in {@code /v1/health} and
 * {@code /metrics}.
 */
class OtaDaemonTest {

  @TempDir Path dir;

  @Test
  void theDaemonTakesUpdatesAndKeepsServingThroughABadOne() throws Exception {
    try (OtaFixture f = new OtaFixture(dir)) {
      Path profile =
          TestProfiles.write(
              dir.resolve("device.textproto"),
              f.setup.card,
              dir.resolve("device-store"),
              f.server.url(),
              1,
              List.of(f.rootKeys.get(0).trustedKey()),
              0);
      try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr.txt"))) {
        ApiClient api = new ApiClient(daemon.port, null);
        assertTrue(daemon.readyLine.contains("updates from " + f.server.url()), daemon.readyLine);
        assertTrue(daemon.readyLine.contains("uploads need 1 signature(s)"), daemon.readyLine);

        f.publish("shapes", 1, 1);
        Health h = await(api, x -> x.getLastUpdate().equals("installed shapes v1 over the air"));
        assertEquals("shapes", h.getActiveTask());
        assertEquals(1, infer(api).getBundleVersion());

        f.publish("shapes", 2, 2);
        await(api, x -> x.getLastUpdate().equals("installed shapes v2 over the air"));
        assertEquals(2, infer(api).getBundleVersion());

        f.publisher.add(
            MicroSetup.failingSelfTest(f.setup.detection("shapes", 3, 3).bundle()), List.of());
        f.publisher.publish();
        h = await(api, x -> x.getLastUpdate().startsWith("update refused (self_test_failed)"));
        assertTrue(h.getLastUpdate().contains("shapes"), h.getLastUpdate());
        assertEquals("shapes", h.getActiveTask());
        InferResponse still = infer(api);
        assertEquals("shapes", still.getBundleName());
        assertEquals(2, still.getBundleVersion());

        String metrics = text(api.get("/metrics"));
        assertTrue(metrics.contains("promptedge_update_installs_total 2\n"), metrics);
        assertTrue(metrics.contains("promptedge_bundle_installs_total 2\n"), metrics);
        assertTrue(
            metrics.contains("promptedge_update_rejections_total{reason=\"self_test_failed\"} 1\n"),
            metrics);
        assertTrue(metric(metrics, "promptedge_update_checks_total") >= 3, metrics);

        daemon.process.destroy(); // SIGTERM: the client stops before the engine closes
        assertTrue(daemon.process.waitFor(20, TimeUnit.SECONDS));
        String log = daemon.stderrText();
        assertTrue(log.contains("update: installing shapes v2"), log);
        assertTrue(log.contains("update: installed shapes v2 (active)"), log);
        assertTrue(log.contains("' persisted"), log);
        assertEquals(
            1,
            log.lines().filter(l -> l.contains("update refused (self_test_failed)")).count(),
            "one log line per refusal: " + log);
        assertFalse(log.contains("update refused: "), "no second format: " + log);
        assertTrue(!log.contains("Exception in thread"), log);
      }
    }
  }

  static Health await(ApiClient api, Predicate<Health> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Health h = null;
    while (System.nanoTime() < deadline) {
      h = ProtoJson.merge(text(api.get("/v1/health")), Health.newBuilder()).build();
      if (done.test(h)) {
        return h;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the daemon did not get there in 30 s; health: " + h);
  }

  static InferResponse infer(ApiClient api) throws Exception {
    HttpResponse<byte[]> r = api.post("/v1/infer", SelfTestImages.syntheticPng(64, 48, 1));
    assertEquals(200, r.statusCode(), text(r));
    return ProtoJson.merge(text(r), InferResponse.newBuilder()).build();
  }

  private static long metric(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError(name + " missing: " + metrics);
  }
}
