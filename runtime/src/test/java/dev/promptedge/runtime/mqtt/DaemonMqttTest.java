package dev.promptedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.format.TaskState;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.config.DeviceProfile;
import dev.promptedge.runtime.daemon.Daemon;
import dev.promptedge.runtime.daemon.TestProfiles;
import dev.promptedge.runtime.daemon.serving.DaemonLog;
import dev.promptedge.runtime.fixtures.Await;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.fixtures.MjpegServer;
import dev.promptedge.runtime.fixtures.Scenes;
import dev.promptedge.runtime.json.ProtoJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon whose profile names an MQTT broker publishes its camera's results there: a real daemon,
 * a loopback MJPEG camera and Debian's mosquitto.
 */
class DaemonMqttTest {

  @TempDir Path dir;

  @Test
  void theProfilesBrokerGetsStatesDiscoveryAndAvailabilityOfTheCamera() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    try (Mosquitto broker = Mosquitto.start(dir);
        Subscriber sub = new Subscriber(broker.url());
        MjpegServer camera = MjpegServer.looping(Scenes.frames(3, 64, 48), 30)) {
      Path profile =
          TestProfiles.withLines(
              dir.resolve("board.textproto"),
              card,
              dir.resolve("store"),
              "sources { name: \"door\" url: \""
                  + camera.url()
                  + "\" fps: 10 }\n"
                  + "mqtt { broker_url: \""
                  + broker.url()
                  + "\" topic_prefix: \"site\" }\n");
      String prefix = "site";
      try (Daemon daemon =
          Daemon.start(
              DeviceProfile.read(profile),
              new DaemonLog(new PrintStream(logged, true, StandardCharsets.UTF_8)))) {
        assertTrue(daemon.mqtt().isPresent(), "the profile names a broker");
        daemon.control().install(MicroFixtures.detection("detect", 2, 1).toBytes());

        Subscriber.Received state =
            sub.first(r -> r.topic().equals(prefix + "/door/detect/state"), 30)
                .orElseThrow(() -> new AssertionError("no state; log: " + logged));
        assertFalse(state.retained());
        TaskState s = ProtoJson.merge(state.payload(), TaskState.newBuilder()).build();
        assertEquals("door", s.getSource());
        assertEquals("detect", s.getBundleName());
        assertEquals(2, s.getBundleVersion());
        assertEquals(TaskKind.DETECTION, s.getTask());
        assertTrue(s.getFrameUnixMs() > 0, state.payload());
        assertTrue(s.getInferenceUs() > 0, state.payload());
        int counted = s.getCountsMap().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(s.getObjects(), counted, "counts add up to the objects: " + state.payload());

        assertEquals(
            "online",
            sub.first(r -> r.topic().equals(prefix + "/availability"), 10).orElseThrow().payload());
        // Discovery names every label of the installed bundle, and the device's model is the card.
        for (String label : List.of("circle", "square", "objects")) {
          Subscriber.Received config =
              sub.first(
                      r ->
                          r.topic().startsWith("homeassistant/sensor/")
                              && r.topic().endsWith("/door_detect_" + label + "/config"),
                      10)
                  .orElseThrow(() -> new AssertionError("no discovery config for " + label));
          assertTrue(
              config.payload().contains("\"model\":\"" + card.card().getName() + "\""),
              config.payload());
          assertTrue(
              config.payload().contains("\"state_topic\":\"" + prefix + "/door/detect/state\""),
              config.payload());
        }
        assertTrue(daemon.mqtt().get().published() >= 1);
        assertTrue(
            logged.toString().contains("mqtt: publishing to " + broker.url()), logged.toString());
      }
      // Closing the daemon says offline, retained, before its sources stop.
      List<Subscriber.Received> availability =
          sub.all(r -> r.topic().equals(prefix + "/availability"));
      long deadline = System.currentTimeMillis() + 10_000;
      while (!availability.get(availability.size() - 1).payload().equals("offline")
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
        availability = sub.all(r -> r.topic().equals(prefix + "/availability"));
      }
      assertEquals("offline", availability.get(availability.size() - 1).payload());
    }
  }

  @Test
  void aBrokerThatIsDownNeitherStopsTheDaemonNorItsSources() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (MjpegServer camera = MjpegServer.looping(Scenes.frames(2, 64, 48), 20)) {
      Path profile =
          TestProfiles.withLines(
              dir.resolve("board.textproto"),
              card,
              dir.resolve("store"),
              "sources { name: \"door\" url: \""
                  + camera.url()
                  + "\" }\nmqtt { broker_url: \"tcp://127.0.0.1:"
                  + port
                  + "\" }\n");
      long start = System.nanoTime();
      try (Daemon daemon =
          Daemon.start(
              DeviceProfile.read(profile),
              new DaemonLog(new PrintStream(logged, true, StandardCharsets.UTF_8)))) {
        daemon.control().install(MicroFixtures.detection("detect", 1, 1).toBytes());
        Await.until(
            20_000,
            () -> Await.status(daemon.sources(), "door").framesInferred() >= 3,
            () -> "the camera is not inferred while the broker is down");
        assertFalse(daemon.mqtt().orElseThrow().connected());
        Await.until(
            10_000,
            () -> logged.toString().contains("mqtt: cannot connect to tcp://127.0.0.1:" + port),
            logged::toString);
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 20_000, "start, frames and close took " + millis + " ms");
    }
  }
}
