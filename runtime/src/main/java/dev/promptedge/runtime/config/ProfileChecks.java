package dev.promptedge.runtime.config;

import dev.promptedge.format.ApiSettings;
import dev.promptedge.format.DeviceConfig;
import dev.promptedge.format.GpioSettings;
import dev.promptedge.format.MqttSettings;
import dev.promptedge.format.TaskLed;
import dev.promptedge.runtime.mqtt.MqttOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** The rules a device profile must follow, each broken rule one message naming the setting. */
final class ProfileChecks {

  private ProfileChecks() {}

  static void check(DeviceProfile profile) {
    DeviceConfig c = profile.config();
    String where = "device profile " + profile.path();
    if (!c.getInterpreter().getEngine().isBlank()) {
      try {
        dev.promptedge.runtime.engine.EngineKind.parse(c.getInterpreter().getEngine());
      } catch (IllegalArgumentException e) {
        throw new ProfileException(where + ": interpreter.engine: " + e.getMessage());
      }
    }
    if (c.getFormatVersion() != DeviceProfile.FORMAT_VERSION) {
      throw new ProfileException(
          where
              + ": format_version "
              + c.getFormatVersion()
              + " is not one this runtime reads ("
              + DeviceProfile.FORMAT_VERSION
              + "); set format_version: 1");
    }
    require(!c.getBoard().isBlank(), where, "board", "name the board, e.g. \"raspberry-pi-5\"");
    require(!c.getBackboneCard().isBlank(), where, "backbone_card", "give the path of the card");
    require(
        !c.getStore().getDirectory().isBlank(),
        where,
        "store.directory",
        "give a writable directory for installed bundles");
    checkApi(c.getApi(), where);
    checkGpio(c.getGpio(), where);
    profile.sources();
    checkMqtt(c.getMqtt(), profile, where);
    if (!c.getUpdates().getChannelUrl().isBlank()) {
      String url = c.getUpdates().getChannelUrl();
      require(
          url.startsWith("http://") || url.startsWith("https://"),
          where,
          "updates.channel_url",
          "use an http:// or https:// URL, got '" + url + "'");
      require(
          c.getUpdates().getTrustedKeysCount() > 0,
          where,
          "updates.trusted_keys",
          "pin at least one publisher key when an update channel is set");
    }
    int threshold = c.getUpdates().getBundleSignatureThreshold();
    require(
        threshold <= Math.max(1, c.getUpdates().getTrustedKeysCount()),
        where,
        "updates.bundle_signature_threshold",
        threshold
            + " is more than the "
            + c.getUpdates().getTrustedKeysCount()
            + " pinned key(s) in updates.trusted_keys could give");
  }

  private static void checkApi(ApiSettings api, String where) {
    require(api.getPort() <= 65535, where, "api.port", "use a port in 0..65535");
    String bind = api.getBindAddress().isBlank() ? "127.0.0.1" : api.getBindAddress();
    boolean loopback;
    try {
      loopback = InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ProfileException(
          where + ": api.bind_address '" + bind + "' is not an address of this machine");
    }
    require(
        loopback || !api.getToken().isBlank(),
        where,
        "api.token",
        "set a bearer token: the API is bound to " + bind + ", which is not loopback");
  }

  private static void checkMqtt(MqttSettings mqtt, DeviceProfile profile, String where) {
    Optional<MqttOptions> options;
    try {
      options = MqttOptions.of(mqtt, profile.directory(), profile.config().getBoard());
    } catch (IllegalArgumentException e) {
      throw new ProfileException(where + ": " + e.getMessage());
    }
    if (options.isEmpty()) {
      require(
          mqtt.equals(MqttSettings.getDefaultInstance()),
          where,
          "mqtt.broker_url",
          "the mqtt section sets other fields but no broker: set broker_url, e.g."
              + " \"tcp://127.0.0.1:1883\", or drop the section");
      return;
    }
    readable(options.get().passwordFile(), where, "mqtt.password_file");
    readable(options.get().caCertificate(), where, "mqtt.ca_certificate_file");
  }

  private static void readable(Optional<Path> file, String where, String setting) {
    if (file.isPresent()) {
      require(
          Files.isRegularFile(file.get()) && Files.isReadable(file.get()),
          where,
          setting,
          file.get() + " is not a readable file: give a path relative to the profile");
    }
  }

  private static void checkGpio(GpioSettings gpio, String where) {
    if (!gpio.getEnabled()) {
      return;
    }
    Set<Integer> pins = new HashSet<>();
    pins.add(gpio.getButtonPin());
    require(
        pins.add(gpio.getStatusLedPin()),
        where,
        "gpio.status_led_pin",
        "use a pin other than the button's");
    Set<String> tasks = new HashSet<>();
    for (TaskLed led : gpio.getTaskLedsList()) {
      require(
          pins.add(led.getPin()),
          where,
          "gpio.task_leds",
          "pin " + led.getPin() + " is used twice; give every LED and the button its own pin");
      require(
          tasks.add(led.getTask()),
          where,
          "gpio.task_leds",
          "task '" + led.getTask() + "' has two LEDs");
    }
  }

  private static void require(boolean ok, String where, String setting, String fix) {
    if (!ok) {
      throw new ProfileException(where + ": " + setting + ": " + fix);
    }
  }
}
