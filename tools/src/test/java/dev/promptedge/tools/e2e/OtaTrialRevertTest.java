package dev.promptedge.tools.e2e;

import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Health;
import dev.promptedge.runtime.daemon.ApiClient;
import dev.promptedge.runtime.daemon.DaemonProcess;
import dev.promptedge.runtime.daemon.TestProfiles;
import dev.promptedge.runtime.store.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signed bundle that takes the daemon down over the air costs one restart, not a loop: the real
 * daemon installs shapes v2 from a signed repository and is SIGKILLed while v2 is on trial (before
 * its first inference); the restart quarantines v2, serves v1, reports it, and its update client
 * refuses v2 at every poll without downloading it again, until a fixed v3 is published.
 */
class OtaTrialRevertTest {

  @TempDir Path dir;

  @Test
  void aBundleKilledOnTrialOverTheAirCostsOneRestart() throws Exception {
    try (OtaFixture f = new OtaFixture(dir)) {
      Path store = dir.resolve("device-store");
      Path profile =
          TestProfiles.write(
              dir.resolve("device.textproto"),
              f.setup.card,
              store,
              f.server.url(),
              1,
              List.of(f.rootKeys.get(0).trustedKey()),
              0);
      f.publish("shapes", 1, 1);
      byte[] v2;
      try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr-1.txt"))) {
        ApiClient api = new ApiClient(daemon.port, null);
        OtaDaemonTest.await(api, h -> h.getLastUpdate().equals("installed shapes v1 over the air"));
        assertEquals(1, OtaDaemonTest.infer(api).getBundleVersion());
        assertEquals(List.of(), health(api).getTrialsPendingList(), "v1 committed");

        v2 = f.publish("shapes", 2, 2).bundle().toBytes();
        Health h =
            OtaDaemonTest.await(
                api, x -> x.getLastUpdate().equals("installed shapes v2 over the air"));
        assertEquals(List.of("shapes"), h.getTrialsPendingList());
        daemon.process.destroyForcibly(); // SIGKILL while v2 is on trial: it "crashed" the daemon
        assertTrue(daemon.process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, daemon.process.exitValue());
      }

      String sha = Sha256.hex(v2);
      try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr-2.txt"))) {
        ApiClient api = new ApiClient(daemon.port, null);
        assertEquals(1, OtaDaemonTest.infer(api).getBundleVersion(), "v1 serves again");
        Health h =
            OtaDaemonTest.await(
                api, x -> x.getLastUpdate().startsWith("update refused (quarantined)"));
        assertEquals(List.of(sha), h.getQuarantinedSha256List());
        assertTrue(h.getStoreEvents(0).startsWith("quarantined bundle 'shapes' v2"), h.toString());
        assertTrue(Files.exists(store.resolve("quarantine/" + sha + ".bundle")));

        Thread.sleep(2500); // two more polls
        assertTrue(daemon.process.isAlive(), "no second crash");
        assertEquals(1, OtaDaemonTest.infer(api).getBundleVersion());
        String metrics = text(api.get("/metrics"));
        assertTrue(
            metrics.contains("promptedge_update_rejections_total{reason=\"quarantined\"} 1\n"),
            "refused once, then settled: " + metrics);
        assertTrue(metrics.contains("promptedge_quarantined_bundles 1\n"), metrics);
        String log = daemon.stderrText();
        assertFalse(log.contains("update: installing shapes v2"), "v2 is never fetched: " + log);
        assertEquals(1, log.split("store: quarantined bundle 'shapes' v2", -1).length - 1, log);

        f.publish("shapes", 3, 3);
        OtaDaemonTest.await(api, x -> x.getLastUpdate().equals("installed shapes v3 over the air"));
        assertEquals(3, OtaDaemonTest.infer(api).getBundleVersion());
        assertEquals(List.of(), health(api).getTrialsPendingList());
      }
    }
  }

  private static Health health(ApiClient api) throws Exception {
    return OtaDaemonTest.await(api, h -> true);
  }
}
