package dev.promptedge.tools.source;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Debian's {@code mosquitto} broker on a free loopback port for the life of a test, and a client
 * subscribed to every topic (as the runtime's MQTT tests run it).
 */
final class Mosquitto implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/sbin/mosquitto");

  /** One message as it arrived. */
  record Received(String topic, String payload, boolean retained) {}

  final int port;
  private final Process process;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private MqttClient subscriber;

  private Mosquitto(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  /** Starts an anonymous broker; skips the test where mosquitto is absent. */
  static Mosquitto start(Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(BINARY),
        "the MQTT tests need Debian's mosquitto broker: apt-get install mosquitto");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
    Path log = dir.resolve("mosquitto.log");
    Process p =
        new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new Mosquitto(port, p);
      } catch (IOException e) {
        if (!p.isAlive()) {
          throw new IllegalStateException("mosquitto exited: " + Files.readString(log));
        }
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("mosquitto did not listen on " + port + " within 10 s");
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /** Subscribes to {@code #}; what arrives from then on is kept in order. */
  void subscribe() throws Exception {
    subscriber =
        new MqttClient(url(), "test-subscriber-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    subscriber.connect(o);
    subscriber.subscribe(
        "#",
        1,
        (topic, m) ->
            received.add(
                new Received(
                    topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained())));
  }

  /** The first message received that matches {@code match}, waiting up to {@code seconds}. */
  Optional<Received> first(Predicate<Received> match, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Optional<Received> found = received.stream().filter(match).findFirst();
      if (found.isPresent()) {
        return found;
      }
      Thread.sleep(20);
    }
    return Optional.empty();
  }

  /** Every message received so far that matches {@code match}. */
  List<Received> all(Predicate<Received> match) {
    return received.stream().filter(match).toList();
  }

  @Override
  public void close() throws Exception {
    if (subscriber != null) {
      subscriber.disconnect();
      subscriber.close();
    }
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
