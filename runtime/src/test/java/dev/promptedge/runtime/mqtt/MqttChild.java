package dev.promptedge.runtime.mqtt;

import dev.promptedge.format.MqttSettings;
import java.nio.file.Path;
import java.util.List;

/** A process that holds one publisher connected, so a test can SIGKILL it. */
public final class MqttChild {

  private MqttChild() {}

  /** {@code MqttChild BROKER_URL CLIENT_ID}: connects, prints "connected", then waits. */
  public static void main(String[] args) throws Exception {
    MqttOptions options =
        MqttOptions.of(
                MqttSettings.newBuilder()
                    .setBrokerUrl(args[0])
                    .setClientId(args[1])
                    .setKeepAliveSeconds(5)
                    .build(),
                Path.of("."),
                "child")
            .orElseThrow();
    MqttPublisher publisher = MqttPublisher.start(options, null, n -> List.of(), "m", s -> {});
    while (!publisher.connected()) {
      Thread.sleep(20);
    }
    System.out.println("connected");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
