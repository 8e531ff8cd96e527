package dev.promptedge.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile's {@code mqtt} section: good settings read, bad ones refused in one message. */
class ProfileMqttTest {

  @TempDir Path dir;

  private DeviceProfile read(String mqtt) throws Exception {
    return DeviceProfile.read(
        Files.writeString(dir.resolve("board.textproto"), DeviceProfileTest.MINIMAL + mqtt));
  }

  private String refused(String mqtt) throws Exception {
    Path file = Files.writeString(dir.resolve("board.textproto"), DeviceProfileTest.MINIMAL + mqtt);
    return assertThrows(ProfileException.class, () -> DeviceProfile.read(file)).getMessage();
  }

  @Test
  void aBrokerWithReadableFilesIsAccepted() throws Exception {
    Files.writeString(dir.resolve("mqtt.pass"), "secret\n");
    DeviceProfile p =
        read(
            "mqtt { broker_url: \"tcp://127.0.0.1:1883\" username: \"cam\""
                + " password_file: \"mqtt.pass\" }\n");
    assertEquals("tcp://127.0.0.1:1883", p.config().getMqtt().getBrokerUrl());
    assertEquals("", read("").config().getMqtt().getBrokerUrl(), "no section: MQTT is off");
  }

  @Test
  void badSettingsAreRefusedNamingTheFieldAndTheFix() throws Exception {
    String scheme = refused("mqtt { broker_url: \"http://broker:1883\" }\n");
    assertTrue(scheme.contains("board.textproto: mqtt.broker_url"), scheme);
    assertTrue(scheme.contains("tcp://HOST:1883"), scheme);

    String port = refused("mqtt { broker_url: \"tcp://broker\" }\n");
    assertTrue(port.contains("needs a host and a port"), port);

    String wildcard =
        refused("mqtt { broker_url: \"tcp://broker:1883\" topic_prefix: \"home/#\" }\n");
    assertTrue(wildcard.contains("mqtt.topic_prefix 'home/#' holds a wildcard"), wildcard);

    String password =
        refused("mqtt { broker_url: \"tcp://broker:1883\" password_file: \"missing.pass\" }\n");
    assertTrue(password.contains("mqtt.password_file: "), password);
    assertTrue(password.contains("missing.pass is not a readable file"), password);

    String ca =
        refused("mqtt { broker_url: \"tcp://broker:1883\" ca_certificate_file: \"ca.pem\" }\n");
    assertTrue(ca.contains("is not ssl://"), ca);

    String caMissing =
        refused("mqtt { broker_url: \"ssl://broker:8883\" ca_certificate_file: \"ca.pem\" }\n");
    assertTrue(caMissing.contains("mqtt.ca_certificate_file: "), caMissing);

    String noBroker = refused("mqtt { username: \"cam\" }\n");
    assertTrue(noBroker.contains("mqtt.broker_url: the mqtt section sets other fields"), noBroker);
  }
}
