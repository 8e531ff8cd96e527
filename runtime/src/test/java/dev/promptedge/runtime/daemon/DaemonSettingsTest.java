package dev.promptedge.runtime.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promptedge.format.ApiSettings;
import org.junit.jupiter.api.Test;

/** The profile's API settings with their defaults where a value is left at 0. */
class DaemonSettingsTest {

  @Test
  void connectionCapsDefaultAndFollowTheProfile() {
    DaemonSettings defaults = DaemonSettings.of(ApiSettings.getDefaultInstance());
    assertEquals(256, defaults.limits().maxConnections());
    assertEquals(32, defaults.limits().maxConnectionsPerClient());
    DaemonSettings set =
        DaemonSettings.of(
            ApiSettings.newBuilder().setMaxConnections(10).setMaxConnectionsPerClient(3).build());
    assertEquals(10, set.limits().maxConnections());
    assertEquals(3, set.limits().maxConnectionsPerClient());
  }

  @Test
  void eventCapsDefaultAndFollowTheProfile() {
    DaemonSettings defaults = DaemonSettings.of(ApiSettings.getDefaultInstance());
    assertEquals(8, defaults.maxEventClients());
    assertEquals(1 << 20, defaults.eventQueueBytes());
    DaemonSettings set =
        DaemonSettings.of(
            ApiSettings.newBuilder().setMaxEventClients(2).setEventQueueBytes(4096).build());
    assertEquals(2, set.maxEventClients());
    assertEquals(4096, set.eventQueueBytes());
  }
}
