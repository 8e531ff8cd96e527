package dev.promptedge.runtime.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connection caps and timeouts against real stalled sockets on loopback. */
class HttpCapsTest {

  private static void closeAll(List<RawClient> clients) throws Exception {
    for (RawClient c : clients) {
      c.close();
    }
  }

  private static int health(TestServer server, String from) throws Exception {
    try (RawClient c = new RawClient(server.address(), from)) {
      return c.send("GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
          .answer()
          .status();
    }
  }

  @Test
  void aHundredStalledClientsDoNotStopHealthFromAnotherClient() throws Exception {
    try (TestServer server =
        new TestServer(
            TestServer.limits(256, 32, Duration.ofSeconds(30), Duration.ofSeconds(30)))) {
      List<RawClient> stalled = new ArrayList<>();
      try {
        int refused = 0;
        for (int i = 0; i < 100; i++) {
          RawClient c = new RawClient(server.address(), "127.0.0.1");
          c.send(
              i % 2 == 0
                  ? "GET /health HTTP/1.1\r\nHost: x\r\nX-Fo"
                  : "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nabc");
          stalled.add(c);
        }
        long start = System.nanoTime();
        // Past the per-client cap, the same address gets a clean 429 quickly...
        for (RawClient c : stalled.subList(32, 100)) {
          RawClient.Answer a = c.answer();
          assertEquals(429, a.status(), a.head());
          assertTrue(a.body().contains("too_many_connections_from_client"), a.body());
          assertEquals("1", a.header("Retry-After"));
          refused++;
        }
        assertEquals(68, refused);
        assertEquals(429, health(server, "127.0.0.1"));
        // ...and another client is served at once.
        assertEquals(200, health(server, "127.0.0.2"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 3_000, "refusals and health took " + millis + " ms");
        for (RawClient c : stalled.subList(0, 32)) {
          assertFalse(c.closedWithin(1), "the stalled ones below the cap are still served");
        }
        stalled.get(0).close();
        Thread.sleep(200);
        assertEquals(200, health(server, "127.0.0.1"), "a slot is free again once one closed");
      } finally {
        closeAll(stalled);
      }
    }
  }

  @Test
  void stalledConnectionsBelowTheCapsHoldNoOneElseUp() throws Exception {
    try (TestServer server =
        new TestServer(
            TestServer.limits(256, 256, Duration.ofSeconds(30), Duration.ofSeconds(30)))) {
      List<RawClient> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < 100; i++) {
          stalled.add(
              new RawClient(server.address()).send("GET /health HTTP/1.1\r\nHost: t\r\nHos"));
        }
        long start = System.nanoTime();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 5; i++) {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(server.base() + "/health"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode());
        }
        assertTrue((System.nanoTime() - start) / 1_000_000 < 3_000);
        assertTrue(server.server.openConnections() >= 101, "" + server.server.openConnections());
      } finally {
        closeAll(stalled);
      }
    }
  }

  @Test
  void theTotalCapAnswers503() throws Exception {
    try (TestServer server =
            new TestServer(
                TestServer.limits(2, 2, Duration.ofSeconds(30), Duration.ofSeconds(30)));
        RawClient a = new RawClient(server.address(), "127.0.0.1");
        RawClient b = new RawClient(server.address(), "127.0.0.2");
        RawClient c = new RawClient(server.address(), "127.0.0.3")) {
      RawClient.Answer answer = c.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n").answer();
      assertEquals(503, answer.status());
      assertTrue(answer.body().contains("too_many_connections"), answer.body());
      assertTrue(c.closedWithin(2_000));
      assertEquals(200, a.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n").answer().status());
    }
  }

  @Test
  void idleAndSlowConnectionsAreClosedAtTheirTimeouts() throws Exception {
    try (TestServer server =
        new TestServer(TestServer.limits(16, 16, Duration.ofSeconds(1), Duration.ofMillis(500)))) {
      try (RawClient silent = new RawClient(server.address())) {
        long start = System.nanoTime();
        assertTrue(silent.closedWithin(3_000), "a connection that sends nothing is closed");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 400 && millis < 2_000, millis + " ms");
      }
      try (RawClient kept = new RawClient(server.address())) {
        assertEquals(200, kept.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n").answer().status());
        assertFalse(kept.closedWithin(200), "still open right after the answer");
        assertTrue(kept.closedWithin(2_000), "closed after sitting idle");
      }
      try (RawClient slow = new RawClient(server.address())) {
        slow.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
        RawClient.Answer a = slow.answer();
        assertEquals(408, a.status(), a.head());
        assertTrue(a.body().contains("request_timeout"), a.body());
        assertTrue(slow.closedWithin(2_000));
      }
      try (RawClient slow = new RawClient(server.address())) {
        slow.send("GET /health HTTP/1.1\r\nHost: x");
        assertEquals(408, slow.answer().status());
      }
      assertEquals(0, waitForNoConnections(server), "every connection was let go");
    }
  }

  @Test
  void anAnswerLateForTheResponseTimeoutClosesTheConnection() throws Exception {
    // Response timeout 2 s (TestServer.limits).
    try (TestServer server =
            new TestServer(
                TestServer.limits(16, 16, Duration.ofSeconds(5), Duration.ofSeconds(30)));
        RawClient late = new RawClient(server.address());
        RawClient inTime = new RawClient(server.address())) {
      late.send("GET /slow?4000 HTTP/1.1\r\nHost: t\r\n\r\n");
      inTime.send("GET /slow?500 HTTP/1.1\r\nHost: t\r\n\r\n");
      assertEquals(200, inTime.answer().status());
      long start = System.nanoTime();
      assertTrue(late.closedWithin(6_000), "closed without an answer");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis > 1_000 && millis < 3_500, "closed after " + millis + " ms");
    }
  }

  private static int waitForNoConnections(TestServer server) throws InterruptedException {
    for (int i = 0; i < 40 && server.server.openConnections() > 0; i++) {
      Thread.sleep(50);
    }
    return server.server.openConnections();
  }
}
