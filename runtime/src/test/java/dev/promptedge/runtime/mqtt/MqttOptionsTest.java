package dev.promptedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.MqttSettings;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MqttOptionsTest {

  private static final Path DIR = Path.of("/etc/promptedge");

  @Test
  void noBrokerIsOffAndDefaultsNameTheBoard() {
    assertEquals(Optional.empty(), MqttOptions.of(MqttSettings.getDefaultInstance(), DIR, "pi"));
    MqttOptions o =
        MqttOptions.of(
                MqttSettings.newBuilder()
                    .setBrokerUrl("ssl://broker.lan:8883")
                    .setPasswordFile("mqtt.pass")
                    .setCaCertificateFile("ca.pem")
                    .build(),
                DIR,
                "raspberry-pi-5")
            .orElseThrow();
    assertEquals("promptedge-raspberry-pi-5", o.clientId());
    assertEquals("promptedge/promptedge-raspberry-pi-5", o.topicPrefix());
    assertEquals("homeassistant", o.discoveryPrefix());
    assertEquals(30, o.keepAliveSeconds());
    assertEquals(Optional.of(DIR.resolve("mqtt.pass")), o.passwordFile());
    assertEquals(Optional.of(DIR.resolve("ca.pem")), o.caCertificate());
    Topics t = new Topics(o);
    assertEquals(
        "promptedge/promptedge-raspberry-pi-5/front_door/detect/state",
        t.state("front/door", "detect"));
    assertEquals(
        "homeassistant/sensor/promptedge-raspberry-pi-5/front_door_detect_t_shirt/config",
        t.discovery(t.object("front door", "detect", "t-shirt").replace("-", "_")));
  }

  @Test
  void refusesWhatCannotWorkNamingTheSetting() {
    for (String[] c :
        new String[][] {
          {"http://broker:1883", "has scheme 'http'"},
          {"tcp://broker", "needs a host and a port"},
          {"tcp://bro ker:1", "is not a URL"},
        }) {
      String message =
          assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      MqttOptions.of(
                          MqttSettings.newBuilder().setBrokerUrl(c[0]).build(), DIR, "b"))
              .getMessage();
      assertTrue(
          message.startsWith("mqtt.broker_url '" + c[0] + "'") && message.contains(c[1]), message);
    }
    String ca =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    MqttOptions.of(
                        MqttSettings.newBuilder()
                            .setBrokerUrl("tcp://b:1883")
                            .setCaCertificateFile("ca.pem")
                            .build(),
                        DIR,
                        "b"))
            .getMessage();
    assertTrue(ca.contains("is not ssl://"), ca);
    String wildcard =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    MqttOptions.of(
                        MqttSettings.newBuilder()
                            .setBrokerUrl("tcp://b:1883")
                            .setTopicPrefix("home/+/cams")
                            .build(),
                        DIR,
                        "b"))
            .getMessage();
    assertTrue(wildcard.contains("wildcard"), wildcard);
  }
}
