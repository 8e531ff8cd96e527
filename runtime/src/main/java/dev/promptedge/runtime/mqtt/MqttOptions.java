package dev.promptedge.runtime.mqtt;

import dev.promptedge.format.MqttSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A profile's {@code mqtt} settings with defaults applied and files resolved.
 *
 * @param brokerUrl {@code tcp://HOST:PORT} or {@code ssl://HOST:PORT}
 * @param clientId client id at the broker, also the node id in topics
 * @param username user name, if the broker asks for one
 * @param passwordFile file holding the password, if any
 * @param caCertificate PEM file of the CAs trusted for {@code ssl://}; empty for the JVM's defaults
 * @param topicPrefix first levels of every state and availability topic
 * @param discoveryPrefix Home Assistant's discovery prefix
 * @param minIntervalMillis least time between two states of one source and task; 0 for every frame
 * @param keepAliveSeconds MQTT keep-alive
 */
public record MqttOptions(
    String brokerUrl,
    String clientId,
    Optional<String> username,
    Optional<Path> passwordFile,
    Optional<Path> caCertificate,
    String topicPrefix,
    String discoveryPrefix,
    long minIntervalMillis,
    int keepAliveSeconds) {

  /**
   * The options of {@code settings}, relative paths resolved against {@code profileDir}; empty when
   * MQTT is off (no broker_url).
   *
   * @throws IllegalArgumentException naming the setting that is wrong and what to write instead
   */
  public static Optional<MqttOptions> of(MqttSettings settings, Path profileDir, String board) {
    String url = settings.getBrokerUrl().trim();
    if (url.isEmpty()) {
      return Optional.empty();
    }
    checkUrl(url);
    String clientId =
        settings.getClientId().isBlank()
            ? "promptedge-" + (board.isBlank() ? "device" : board)
            : settings.getClientId();
    if (clientId.length() > 23 * 8) {
      throw new IllegalArgumentException(
          "mqtt.client_id is " + clientId.length() + " characters: keep it under 184");
    }
    String prefix =
        settings.getTopicPrefix().isBlank()
            ? "promptedge/" + Topics.level(clientId)
            : stripSlashes(settings.getTopicPrefix());
    if (prefix.contains("+") || prefix.contains("#")) {
      throw new IllegalArgumentException(
          "mqtt.topic_prefix '" + prefix + "' holds a wildcard (+ or #): topics cannot");
    }
    Optional<Path> password =
        settings.getPasswordFile().isBlank()
            ? Optional.empty()
            : Optional.of(profileDir.resolve(settings.getPasswordFile()));
    Optional<Path> ca =
        settings.getCaCertificateFile().isBlank()
            ? Optional.empty()
            : Optional.of(profileDir.resolve(settings.getCaCertificateFile()));
    if (ca.isPresent() && !url.toLowerCase(Locale.ROOT).startsWith("ssl://")) {
      throw new IllegalArgumentException(
          "mqtt.ca_certificate_file is set but mqtt.broker_url '"
              + url
              + "' is not ssl://: use ssl://HOST:8883 for TLS, or drop the certificate");
    }
    return Optional.of(
        new MqttOptions(
            url,
            clientId,
            settings.getUsername().isBlank()
                ? Optional.empty()
                : Optional.of(settings.getUsername()),
            password,
            ca,
            prefix,
            settings.getDiscoveryPrefix().isBlank()
                ? "homeassistant"
                : stripSlashes(settings.getDiscoveryPrefix()),
            settings.getMinIntervalMs(),
            settings.getKeepAliveSeconds() == 0 ? 30 : settings.getKeepAliveSeconds()));
  }

  /** The password from {@link #passwordFile}, without a trailing line break. */
  char[] password() {
    if (passwordFile.isEmpty()) {
      return new char[0];
    }
    try {
      return Files.readString(passwordFile.get(), StandardCharsets.UTF_8)
          .stripTrailing()
          .toCharArray();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read mqtt.password_file " + passwordFile.get() + ": " + e.getMessage(), e);
    }
  }

  private static void checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "mqtt.broker_url '" + url + "' is not a URL: write tcp://HOST:1883 or ssl://HOST:8883");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
      throw new IllegalArgumentException(
          "mqtt.broker_url '"
              + url
              + "' has scheme '"
              + scheme
              + "': use tcp://HOST:1883, or ssl://HOST:8883 for TLS");
    }
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException(
          "mqtt.broker_url '" + url + "' needs a host and a port, e.g. tcp://127.0.0.1:1883");
    }
  }

  private static String stripSlashes(String s) {
    String t = s.trim();
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}
