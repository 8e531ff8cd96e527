package dev.promptedge.runtime.mqtt;

import dev.promptedge.format.HomeAssistantDevice;
import dev.promptedge.format.HomeAssistantSensor;
import dev.promptedge.format.TaskKind;
import dev.promptedge.format.TaskState;
import dev.promptedge.runtime.json.ProtoJson;
import dev.promptedge.runtime.source.FrameResults;
import dev.promptedge.runtime.source.ResultsHub;
import dev.promptedge.runtime.source.TaskStates;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes every frame's results to an MQTT broker: {@code PREFIX/SOURCE/TASK/state} (a {@link
 * TaskState} as JSON, QoS 0), {@code PREFIX/availability} ({@code online}, retained, with {@code
 * offline} as the last will), and retained Home Assistant discovery configs, one sensor per label
 * and source, the first time a bundle version is seen. It never blocks a source: results wait in a
 * bounded queue and are dropped (counted) while the broker is away. Connects in the background and
 * reconnects by itself; {@link #close()} publishes {@code offline} and disconnects.
 */
public final class MqttPublisher implements AutoCloseable {

  static final String ONLINE = "online";
  static final String OFFLINE = "offline";
  private static final int QUEUE = 64;

  private final MqttOptions options;
  private final Topics topics;
  private final MqttClient client;
  private final MqttConnectOptions connect;
  private final Function<String, List<String>> labelsOf;
  private final String model;
  private final Consumer<String> log;
  private final ResultsHub.Subscription subscription;
  private final Thread worker;
  private final Set<String> announced = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> lastState = new ConcurrentHashMap<>();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  private MqttPublisher(
      MqttOptions options,
      ResultsHub hub,
      Function<String, List<String>> labelsOf,
      String model,
      Consumer<String> log)
      throws MqttException {
    this.options = options;
    this.topics = new Topics(options);
    this.labelsOf = labelsOf;
    this.model = model;
    this.log = log;
    this.client = new MqttClient(options.brokerUrl(), options.clientId(), new MemoryPersistence());
    this.connect = connectOptions(options, topics);
    client.setCallback(
        new MqttCallbackExtended() {
          @Override
          public void connectComplete(boolean reconnect, String serverUri) {
            announced.clear();
            send(topics.availability(), ONLINE, 1, true);
            log.accept((reconnect ? "mqtt: reconnected to " : "mqtt: connected to ") + serverUri);
          }

          @Override
          public void connectionLost(Throwable cause) {
            log.accept("mqtt: connection lost (" + cause + "); reconnecting");
          }

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    this.subscription = hub == null ? null : hub.subscribe(QUEUE);
    this.worker = new Thread(this::run, "promptedged-mqtt");
    worker.setDaemon(true);
  }

  /**
   * Starts publishing the results of {@code hub}; {@code labelsOf} gives the labels of an installed
   * bundle by name (for discovery), {@code model} names the backbone in the device's description.
   * Returns at once: the first connection is made in the background.
   *
   * @throws IllegalArgumentException when the options name an unusable broker or file
   */
  public static MqttPublisher start(
      MqttOptions options,
      ResultsHub hub,
      Function<String, List<String>> labelsOf,
      String model,
      Consumer<String> log) {
    MqttPublisher p;
    try {
      p = new MqttPublisher(options, hub, labelsOf, model, log);
    } catch (MqttException e) {
      throw new IllegalArgumentException(
          "mqtt.broker_url '" + options.brokerUrl() + "' cannot be used: " + e.getMessage(), e);
    }
    p.worker.start();
    return p;
  }

  private static MqttConnectOptions connectOptions(MqttOptions options, Topics topics) {
    MqttConnectOptions c = new MqttConnectOptions();
    c.setCleanSession(true);
    c.setAutomaticReconnect(true);
    c.setMaxReconnectDelay(10_000);
    c.setKeepAliveInterval(options.keepAliveSeconds());
    c.setConnectionTimeout(10);
    c.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    c.setWill(topics.availability(), OFFLINE.getBytes(StandardCharsets.UTF_8), 1, true);
    options.username().ifPresent(c::setUserName);
    if (options.passwordFile().isPresent()) {
      c.setPassword(options.password());
    }
    options.caCertificate().ifPresent(pem -> c.setSocketFactory(Tls.trusting(pem)));
    return c;
  }

  private void run() {
    long backoff = 100;
    while (!closed && !client.isConnected()) {
      try {
        client.connect(connect);
      } catch (MqttException e) {
        log.accept(
            "mqtt: cannot connect to "
                + options.brokerUrl()
                + " ("
                + e.getMessage()
                + "); retrying in "
                + backoff
                + " ms");
        if (!sleep(backoff)) {
          return;
        }
        backoff = Math.min(10_000, backoff * 2);
      }
    }
    while (!closed && subscription != null) {
      try {
        subscription.poll(200, TimeUnit.MILLISECONDS).ifPresent(this::publish);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Publishes the states of one frame (and the discovery configs its tasks need first). */
  void publish(FrameResults frame) {
    for (TaskState state : TaskStates.of(frame)) {
      String key = state.getSource() + "\u0000" + state.getBundleName();
      long now = System.nanoTime();
      Long last = lastState.get(key);
      if (last != null
          && options.minIntervalMillis() > 0
          && now - last < TimeUnit.MILLISECONDS.toNanos(options.minIntervalMillis())) {
        continue;
      }
      if (!client.isConnected()) {
        dropped.incrementAndGet();
        continue;
      }
      announce(state);
      if (send(
          topics.state(state.getSource(), state.getBundleName()),
          ProtoJson.print(state),
          0,
          false)) {
        lastState.put(key, now);
        published.incrementAndGet();
      }
    }
  }

  private void announce(TaskState state) {
    String key =
        state.getSource() + "\u0000" + state.getBundleName() + "\u0000" + state.getBundleVersion();
    if (!announced.add(key)) {
      return;
    }
    String source = state.getSource();
    String task = state.getBundleName();
    List<String> labels = labelsOf.apply(task);
    if (labels == null || labels.isEmpty()) {
      labels = List.copyOf(state.getCountsMap().keySet());
    }
    if (state.getTask() == TaskKind.DETECTION) {
      sensor(source, task, "objects", "{{ value_json.objects }}");
    }
    for (String label : labels) {
      sensor(
          source,
          task,
          label,
          "{{ value_json.counts['"
              + label.replace("\\", "\\\\").replace("'", "\\'")
              + "'] | default(0) }}");
    }
  }

  private void sensor(String source, String task, String measure, String template) {
    String object = topics.object(source, task, measure);
    HomeAssistantSensor config =
        HomeAssistantSensor.newBuilder()
            .setName(source + " " + task + " " + measure)
            .setUniqueId(topics.node() + "_" + object)
            .setStateTopic(topics.state(source, task))
            .setValueTemplate(template)
            .setAvailabilityTopic(topics.availability())
            .setStateClass("measurement")
            .setDevice(
                HomeAssistantDevice.newBuilder()
                    .addIdentifiers(topics.node())
                    .setName("PromptEdge " + options.clientId())
                    .setManufacturer("PromptEdge")
                    .setModel(model))
            .build();
    send(topics.discovery(object), ProtoJson.print(config), 1, true);
  }

  private boolean send(String topic, String payload, int qos, boolean retained) {
    try {
      MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
      m.setQos(qos);
      m.setRetained(retained);
      client.publish(topic, m);
      return true;
    } catch (MqttException e) {
      dropped.incrementAndGet();
      return false;
    }
  }

  private boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return !closed;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** Whether the client is connected to the broker now. */
  public boolean connected() {
    return client.isConnected();
  }

  /** States published so far. */
  public long published() {
    return published.get();
  }

  /** States and configs not published because the broker was away or refused them. */
  public long dropped() {
    return dropped.get();
  }

  /** Publishes {@code offline}, disconnects and stops. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (subscription != null) {
      subscription.close();
    }
    worker.interrupt();
    try {
      worker.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (client.isConnected()) {
        send(topics.availability(), OFFLINE, 1, true);
        client.disconnect(2_000);
      }
    } catch (MqttException e) {
      // The broker is gone: its last will says offline for us.
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      // Nothing left to free.
    }
  }
}
