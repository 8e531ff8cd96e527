package dev.promptedge.runtime.mqtt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A test client subscribed to every topic of a broker, keeping what arrives in order. */
final class Subscriber implements AutoCloseable {

  /** One message as it arrived. */
  record Received(String topic, String payload, boolean retained) {}

  private final MqttClient client;
  private final LinkedBlockingQueue<Received> queue = new LinkedBlockingQueue<>();
  private final List<Received> history = new CopyOnWriteArrayList<>();

  Subscriber(String url) throws Exception {
    this(url, null);
  }

  /**
   * Subscribes over TLS to {@code ssl://} the host and port of {@code url}, trusting {@code ca}.
   */
  Subscriber(String url, Path ca) throws Exception {
    String target = ca == null ? url : url.replace("tcp://", "ssl://");
    client =
        new MqttClient(target, "test-subscriber-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    if (ca != null) {
      o.setSocketFactory(Tls.trusting(ca));
    }
    client.connect(o);
    client.subscribe(
        "#",
        1,
        (topic, m) -> {
          Received r =
              new Received(
                  topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained());
          history.add(r);
          queue.add(r);
        });
  }

  /** The next message matching {@code match} within {@code seconds}, skipping others. */
  Optional<Received> next(Predicate<Received> match, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      Received r = queue.poll(left, TimeUnit.NANOSECONDS);
      if (r != null && match.test(r)) {
        return Optional.of(r);
      }
    }
  }

  /** The first message ever received that matches {@code match}, waiting up to {@code seconds}. */
  Optional<Received> first(Predicate<Received> match, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Optional<Received> found = history.stream().filter(match).findFirst();
      if (found.isPresent()) {
        return found;
      }
      Thread.sleep(20);
    }
    return Optional.empty();
  }

  /** Every message received so far that matches {@code match}, in order. */
  List<Received> all(Predicate<Received> match) {
    return history.stream().filter(match).toList();
  }

  @Override
  public void close() throws Exception {
    client.disconnect();
    client.close();
  }
}
