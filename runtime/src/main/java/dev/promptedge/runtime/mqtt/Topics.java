package dev.promptedge.runtime.mqtt;

import java.util.Locale;

/** Topic names of one device: availability, per source and task state, discovery configs. */
final class Topics {

  private final String prefix;
  private final String discoveryPrefix;
  private final String node;

  Topics(MqttOptions options) {
    this.prefix = options.topicPrefix();
    this.discoveryPrefix = options.discoveryPrefix();
    this.node = id(options.clientId());
  }

  String availability() {
    return prefix + "/availability";
  }

  String state(String source, String task) {
    return prefix + "/" + level(source) + "/" + level(task) + "/state";
  }

  /** Home Assistant node id of this device. */
  String node() {
    return node;
  }

  /** Object id of one sensor within the node. */
  String object(String source, String task, String measure) {
    return id(source + "_" + task + "_" + measure);
  }

  String discovery(String object) {
    return discoveryPrefix + "/sensor/" + node + "/" + object + "/config";
  }

  /** {@code name} as one topic level: no separators or wildcards. */
  static String level(String name) {
    String s = name.replaceAll("[/+#\\u0000]", "_");
    return s.isEmpty() ? "_" : s;
  }

  /** {@code name} as a Home Assistant id: letters, digits, underscores and dashes. */
  static String id(String name) {
    String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
    return s.isEmpty() ? "_" : s;
  }
}
