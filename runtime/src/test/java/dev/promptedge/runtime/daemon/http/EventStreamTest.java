package dev.promptedge.runtime.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Streaming answers (as Server-Sent Events use them) to real clients on loopback. */
class EventStreamTest {

  @Test
  void eventsReachARealClientOneByOneAndOutliveTheResponseTimeout() throws Exception {
    // Response timeout 2 s: the stream below lasts longer and must not be cut.
    try (TestServer server =
        new TestServer(TestServer.limits(16, 16, Duration.ofSeconds(5), Duration.ofSeconds(5)))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<InputStream> r =
          http.send(
              HttpRequest.newBuilder(URI.create(server.base() + "/stream")).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, r.statusCode());
      assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
      assertTrue(r.headers().firstValue("Content-Length").isEmpty());
      EventStream stream = server.streams.poll(5, TimeUnit.SECONDS);
      assertNotNull(stream);
      long start = System.nanoTime();
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        for (int i = 0; i < 6; i++) {
          // The next event is only sent once the client has read this one: it arrived alone.
          assertTrue(stream.send("data: event " + i + "\n\n"));
          assertEquals("data: event " + i, lines.readLine());
          assertEquals("", lines.readLine());
          Thread.sleep(500);
        }
        assertTrue((System.nanoTime() - start) / 1_000_000 > 2_500, "longer than the timeout");
        stream.close();
        assertNull(lines.readLine(), "the stream ends when the server closes it");
      }
      assertFalse(stream.send("late"), "a closed stream takes no more events");
    }
  }

  @Test
  void aClientThatStopsReadingEndsTheStreamInsteadOfGrowingMemory() throws Exception {
    int limit = 64 << 10;
    try (TestServer server =
            new TestServer(
                TestServer.limits(16, 16, Duration.ofSeconds(5), Duration.ofSeconds(30)));
        RawClient c = new RawClient(server.address())) {
      c.socket.setReceiveBufferSize(4096);
      c.send("GET /stream?" + limit + " HTTP/1.1\r\nHost: t\r\n\r\n");
      EventStream stream = server.streams.poll(5, TimeUnit.SECONDS);
      assertNotNull(stream);
      byte[] event = new byte[1024];
      long sent = 0;
      boolean accepted = true;
      // The client reads nothing: kernel buffers fill, then the stream's queue.
      while (accepted && sent < (256L << 20)) {
        accepted = stream.send(event);
        if (accepted) {
          sent += event.length;
        }
      }
      assertFalse(accepted, "the stream ended after " + sent + " bytes");
      assertTrue(sent < (32L << 20), "ended after " + sent + " bytes, not hundreds of MB");
      assertTrue(stream.endedSlowClient());
      assertFalse(stream.isOpen());
      assertTrue(stream.peakQueuedBytes() <= limit, "queued at most the limit");
      assertFalse(stream.send(event));
      for (int i = 0; i < 40 && server.server.openConnections() > 0; i++) {
        Thread.sleep(50);
      }
      assertEquals(0, server.server.openConnections(), "the slow client's connection was closed");
    }
  }

  @Test
  void aClientThatLeavesEndsTheStream() throws Exception {
    try (TestServer server =
        new TestServer(TestServer.limits(16, 16, Duration.ofSeconds(5), Duration.ofSeconds(5)))) {
      EventStream stream;
      try (RawClient c = new RawClient(server.address())) {
        c.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
        stream = server.streams.poll(5, TimeUnit.SECONDS);
        assertNotNull(stream);
        assertTrue(stream.send("data: a\n\n"));
        assertEquals(200, Integer.parseInt(c.line().split(" ")[1]));
      }
      boolean open = true;
      for (int i = 0; i < 100 && open; i++) {
        open = stream.send("data: b\n\n");
        Thread.sleep(20);
      }
      assertFalse(open, "a send after the client left ends the stream");
      assertFalse(stream.endedSlowClient());
    }
  }
}
