package dev.promptedge.runtime.daemon;

import dev.promptedge.format.ApiSettings;
import dev.promptedge.runtime.daemon.api.ServerLimits;
import dev.promptedge.runtime.image.ImageDecoder;
import java.net.InetSocketAddress;

/**
 * The API and queue settings of a profile, with defaults where the profile leaves a value at 0.
 *
 * @param bind address and port to listen on (port 0 picks a free one)
 * @param token bearer token clients must send, or empty
 * @param maxBodyBytes largest accepted request body
 * @param maxPixels largest accepted image, in pixels
 * @param maxBatch most requests in one backbone call
 * @param maxWaitMillis longest a request waits for others to join its batch
 * @param queueCapacity requests that may wait before new ones get 429
 * @param limits connection cap and timeouts of the HTTP server
 * @param decodeBudgetBytes bytes of bodies, pixels and results requests may hold at once
 * @param decodeWaitMillis longest a request waits for room in the decode budget
 * @param maxEventClients clients of GET /v1/events at once
 * @param eventQueueBytes bytes of events that may wait unsent for one events client
 */
record DaemonSettings(
    InetSocketAddress bind,
    String token,
    long maxBodyBytes,
    long maxPixels,
    int maxBatch,
    int maxWaitMillis,
    int queueCapacity,
    ServerLimits limits,
    long decodeBudgetBytes,
    int decodeWaitMillis,
    int maxEventClients,
    int eventQueueBytes) {

  static final long DEFAULT_MAX_BODY = 8L << 20;
  static final int DEFAULT_MAX_BATCH = 8;
  static final int DEFAULT_MAX_WAIT_MILLIS = 5;
  static final int DEFAULT_QUEUE_CAPACITY = 64;
  static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 20;
  static final int DEFAULT_RESPONSE_TIMEOUT_SECONDS = 60;
  static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
  static final int DEFAULT_MAX_CONNECTIONS = 256;
  static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 32;
  static final int DEFAULT_DECODE_WAIT_MILLIS = 2000;
  static final int DEFAULT_MAX_EVENT_CLIENTS = 8;
  static final int DEFAULT_EVENT_QUEUE_BYTES = 1 << 20;

  static DaemonSettings of(ApiSettings api) {
    String address = api.getBindAddress().isBlank() ? "127.0.0.1" : api.getBindAddress();
    return new DaemonSettings(
        new InetSocketAddress(address, api.getPort()),
        api.getToken(),
        api.getMaxBodyBytes() == 0 ? DEFAULT_MAX_BODY : api.getMaxBodyBytes(),
        api.getMaxPixels() == 0 ? ImageDecoder.DEFAULT_MAX_PIXELS : api.getMaxPixels(),
        api.getMaxBatch() == 0 ? DEFAULT_MAX_BATCH : api.getMaxBatch(),
        api.getMaxWaitMs() == 0 ? DEFAULT_MAX_WAIT_MILLIS : api.getMaxWaitMs(),
        api.getQueueCapacity() == 0 ? DEFAULT_QUEUE_CAPACITY : api.getQueueCapacity(),
        new ServerLimits(
            orDefault(api.getMaxConnections(), DEFAULT_MAX_CONNECTIONS),
            orDefault(api.getMaxConnectionsPerClient(), DEFAULT_MAX_CONNECTIONS_PER_CLIENT),
            orDefault(api.getRequestTimeoutSeconds(), DEFAULT_REQUEST_TIMEOUT_SECONDS),
            orDefault(api.getResponseTimeoutSeconds(), DEFAULT_RESPONSE_TIMEOUT_SECONDS),
            orDefault(api.getIdleTimeoutSeconds(), DEFAULT_IDLE_TIMEOUT_SECONDS)),
        api.getDecodeBudgetBytes() == 0
            ? Runtime.getRuntime().maxMemory() / 2
            : api.getDecodeBudgetBytes(),
        orDefault(api.getDecodeWaitMs(), DEFAULT_DECODE_WAIT_MILLIS),
        orDefault(api.getMaxEventClients(), DEFAULT_MAX_EVENT_CLIENTS),
        orDefault(api.getEventQueueBytes(), DEFAULT_EVENT_QUEUE_BYTES));
  }

  private static int orDefault(int value, int fallback) {
    return value == 0 ? fallback : value;
  }
}
