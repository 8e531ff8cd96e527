package dev.promptedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promptedge.format.MqttSettings;
import dev.promptedge.format.TaskKind;
import dev.promptedge.format.TaskState;
import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.image.Box;
import dev.promptedge.runtime.json.ProtoJson;
import dev.promptedge.runtime.source.FrameResults;
import dev.promptedge.runtime.source.ResultsHub;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.StageTimings;
import dev.promptedge.runtime.task.TaskOutput;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against Debian's real mosquitto broker on loopback. */
class MqttPublisherTest {

  @TempDir Path dir;

  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  static FrameResults frame(String source, long sequence, String... labels) {
    List<Detection> boxes = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      boxes.add(new Detection(i, labels[i], 0.9f, new Box(0, 0, 10, 10)));
    }
    InferenceResult detect =
        new InferenceResult(
            "detect",
            3,
            TaskKind.DETECTION,
            64,
            64,
            new TaskOutput.Detections(boxes),
            new float[0],
            new StageTimings(100, 2000, 300, 50));
    return new FrameResults(source, sequence, 1_700_000_000_000L, 0, 0, List.of(detect), 4);
  }

  private MqttPublisher start(String url, MqttSettings.Builder settings) {
    MqttOptions options =
        MqttOptions.of(settings.setBrokerUrl(url).build(), dir, "pi-4").orElseThrow();
    return MqttPublisher.start(
        options, new ResultsHub(), n -> List.of("sneaker", "bag", "dress"), "demo-vit", log::add);
  }

  private static void awaitConnected(MqttPublisher p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!p.connected() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(p.connected(), "connected to the broker");
  }

  @Test
  void statesAvailabilityAndDiscoveryReachASubscriber() throws Exception {
    try (Mosquitto broker = Mosquitto.start(dir);
        Subscriber sub = new Subscriber(broker.url());
        MqttPublisher p = start(broker.url(), MqttSettings.newBuilder())) {
      awaitConnected(p);
      String prefix = "promptedge/promptedge-pi-4";
      assertEquals(
          "online",
          sub.next(r -> r.topic().equals(prefix + "/availability"), 10).orElseThrow().payload());
      p.publish(frame("door", 7, "sneaker", "bag", "sneaker"));

      Subscriber.Received state =
          sub.next(r -> r.topic().equals(prefix + "/door/detect/state"), 10).orElseThrow();
      assertFalse(state.retained());
      TaskState s = ProtoJson.merge(state.payload(), TaskState.newBuilder()).build();
      assertEquals("door", s.getSource());
      assertEquals("detect", s.getBundleName());
      assertEquals(3, s.getBundleVersion());
      assertEquals(7, s.getSequence());
      assertEquals(3, s.getObjects());
      assertEquals(2, s.getCountsOrThrow("sneaker"));
      assertEquals(1, s.getCountsOrThrow("bag"));
      assertFalse(s.containsCounts("dress"));
      assertEquals(2350, s.getInferenceUs());
      assertEquals(4, s.getDroppedFrames());
      JsonObject json = JsonParser.parseString(state.payload()).getAsJsonObject();
      assertEquals(2, json.getAsJsonObject("counts").get("sneaker").getAsInt(), state.payload());

      p.publish(frame("door", 8, "dress"));
      assertTrue(sub.next(r -> r.topic().equals(prefix + "/door/detect/state"), 10).isPresent());
      assertEquals(2, p.published());
    }
  }

  @Test
  void discoveryConfigsAreRetainedForEveryLabelAndTheObjectCount() throws Exception {
    try (Mosquitto broker = Mosquitto.start(dir)) {
      try (MqttPublisher p = start(broker.url(), MqttSettings.newBuilder())) {
        awaitConnected(p);
        p.publish(frame("door", 0, "bag"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (p.published() < 1 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      }
      try (Subscriber late = new Subscriber(broker.url())) {
        for (String measure : List.of("objects", "sneaker", "bag", "dress")) {
          String topic = "homeassistant/sensor/promptedge-pi-4/door_detect_" + measure + "/config";
          Subscriber.Received config = late.first(r -> r.topic().equals(topic), 10).orElseThrow();
          assertTrue(config.retained(), topic);
          JsonObject c = JsonParser.parseString(config.payload()).getAsJsonObject();
          assertEquals(
              "promptedge/promptedge-pi-4/door/detect/state", c.get("state_topic").getAsString());
          assertEquals(
              "promptedge/promptedge-pi-4/availability", c.get("availability_topic").getAsString());
          assertEquals("promptedge-pi-4_door_detect_" + measure, c.get("unique_id").getAsString());
          assertEquals("measurement", c.get("state_class").getAsString());
          assertEquals("demo-vit", c.getAsJsonObject("device").get("model").getAsString());
          assertTrue(
              c.get("value_template")
                  .getAsString()
                  .equals(
                      measure.equals("objects")
                          ? "{{ value_json.objects }}"
                          : "{{ value_json.counts['" + measure + "'] | default(0) }}"),
              config.payload());
        }
        // close() said goodbye: availability is retained as offline.
        assertEquals(
            "offline",
            late.first(r -> r.topic().endsWith("/availability"), 10).orElseThrow().payload());
      }
    }
  }

  @Test
  void brokerKillsAvailabilityThroughTheLastWillWhenThePublisherIsKilled() throws Exception {
    try (Mosquitto broker = Mosquitto.start(dir);
        Subscriber sub = new Subscriber(broker.url())) {
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  MqttChild.class.getName(),
                  broker.url(),
                  "kill-me")
              .redirectError(dir.resolve("child.err").toFile())
              .start();
      try {
        String line =
            new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertEquals("connected", line, Files.readString(dir.resolve("child.err")));
        String topic = "promptedge/kill-me/availability";
        assertEquals("online", sub.next(r -> r.topic().equals(topic), 10).orElseThrow().payload());
        child.destroyForcibly(); // SIGKILL: no goodbye from the client
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertEquals("offline", sub.next(r -> r.topic().equals(topic), 15).orElseThrow().payload());
      } finally {
        child.destroyForcibly();
      }
    }
  }

  @Test
  void connectsOnceTheBrokerComesUpAndDropsStatesUntilThen() throws Exception {
    int port = Mosquitto.freePort();
    try (MqttPublisher p = start("tcp://127.0.0.1:" + port, MqttSettings.newBuilder())) {
      p.publish(frame("door", 0, "bag"));
      assertEquals(1, p.dropped(), "no broker yet: the state is dropped, not queued");
      Thread.sleep(300);
      try (Mosquitto broker = Mosquitto.start(dir, port, List.of("allow_anonymous true"))) {
        awaitConnected(p);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("mqtt: cannot connect to")), "" + log);
      }
    }
  }

  @Test
  void credentialsFromThePasswordFileAreChecked() throws Exception {
    Path passwords = dir.resolve("passwd");
    Process make =
        new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwords.toString(), "camera", "s3cret")
            .redirectErrorStream(true)
            .start();
    assertEquals(0, make.waitFor());
    Files.writeString(dir.resolve("good"), "s3cret\n");
    Files.writeString(dir.resolve("bad"), "guess\n");
    int port = Mosquitto.freePort();
    try (Mosquitto broker =
        Mosquitto.start(
            dir,
            port,
            List.of(
                "allow_anonymous false",
                "password_file " + passwords,
                "user " + System.getProperty("user.name")))) {
      try (MqttPublisher wrong =
          start(
              broker.url(),
              MqttSettings.newBuilder().setUsername("camera").setPasswordFile("bad"))) {
        Thread.sleep(1500);
        assertFalse(wrong.connected(), "a wrong password is refused");
        assertTrue(log.stream().anyMatch(l -> l.contains("cannot connect")), "" + log);
      }
      try (MqttPublisher right =
          start(
              broker.url(),
              MqttSettings.newBuilder().setUsername("camera").setPasswordFile("good"))) {
        awaitConnected(right);
      }
    }
  }

  @Test
  void tlsTrustsTheProfilesCaFileAndNothingElse() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/openssl")),
        "the TLS test makes its certificates with openssl");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "san.ext",
        "-out",
        "server.pem");
    int port = Mosquitto.freePort();
    try (Mosquitto broker =
        Mosquitto.start(
            dir,
            port,
            List.of(
                "allow_anonymous true",
                "cafile " + dir.resolve("ca.pem"),
                "certfile " + dir.resolve("server.pem"),
                "keyfile " + dir.resolve("server.key"),
                "user " + System.getProperty("user.name")))) {
      String url = "ssl://127.0.0.1:" + port;
      try (MqttPublisher untrusted = start(url, MqttSettings.newBuilder())) {
        Thread.sleep(1500);
        assertFalse(untrusted.connected(), "the JVM's CAs do not vouch for the test CA");
      }
      try (Subscriber sub = new Subscriber(url, dir.resolve("ca.pem"));
          MqttPublisher trusted =
              start(url, MqttSettings.newBuilder().setCaCertificateFile("ca.pem"))) {
        awaitConnected(trusted);
        trusted.publish(frame("door", 0, "bag"));
        assertTrue(sub.first(r -> r.topic().endsWith("/door/detect/state"), 10).isPresent());
      }
    }
  }

  private void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }
}
