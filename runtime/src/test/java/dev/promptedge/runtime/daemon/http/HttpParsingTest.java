package dev.promptedge.runtime.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the server reads off a real loopback socket: heads, bodies, keep-alive, and refusals. */
class HttpParsingTest {

  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        new TestServer(TestServer.limits(16, 16, Duration.ofSeconds(5), Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RawClient.Answer refused(String request, int status, String code) throws Exception {
    try (RawClient c = new RawClient(server.address())) {
      RawClient.Answer a = c.send(request).answer();
      assertEquals(status, a.status(), a.head() + a.body());
      assertEquals(TestServer.JSON, a.header("Content-Type"));
      assertTrue(a.body().startsWith("{\"code\":\"" + code + "\""), a.body());
      assertEquals("close", a.header("Connection"));
      assertTrue(c.closedWithin(2_000), "the connection is closed after the refusal");
      return a;
    }
  }

  @Test
  void anHttp11RequestNeedsExactlyOneHost() throws Exception {
    assertTrue(
        refused("GET /health HTTP/1.1\r\n\r\n", 400, "bad_request")
            .body()
            .contains("no Host header"));
    assertTrue(
        refused("GET /health HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400, "bad_request")
            .body()
            .contains("2 Host headers"));
    try (RawClient c = new RawClient(server.address())) {
      assertEquals(200, c.send("GET /health HTTP/1.0\r\n\r\n").answer().status(), "1.0 needs none");
    }
  }

  @Test
  void malformedRequestLinesAndHeadersAreJson400s() throws Exception {
    refused("NONSENSE\r\n\r\n", 400, "bad_request");
    refused("GET /health\r\n\r\n", 400, "bad_request");
    refused("GET health HTTP/1.1\r\nHost: t\r\n\r\n", 400, "bad_request");
    refused("G(T /health HTTP/1.1\r\nHost: t\r\n\r\n", 400, "bad_request");
    refused("GET /health HTTP/1.1\r\nHost: t\r\nNoColonHere\r\n\r\n", 400, "bad_request");
    refused("GET /health HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n", 400, "bad_request");
    refused("GET /health HTTP/1.1\r\nHost: t\r\nA: b\r\n folded\r\n\r\n", 400, "bad_request");
    refused("GET /health HTTP/1.1\r\nHost: t\r\nA: b\rc\r\n\r\n", 400, "bad_request");
    refused("GET /he%zzlth HTTP/1.1\r\nHost: t\r\n\r\n", 400, "bad_request");
    refused("GET /health HTTP/2.0\r\n\r\n", 505, "http_version_not_supported");
    refused("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n", 400, "bad_request");
    refused(
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
        400,
        "bad_request");
    refused(
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc",
        400,
        "bad_request");
    refused(
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n",
        501,
        "not_implemented");
  }

  @Test
  void oversizedHeadsAreRefusedWithoutReadingThemWhole() throws Exception {
    refused(
        "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414, "request_line_too_long");
    refused(
        "GET /health HTTP/1.1\r\nHost: t\r\nX: " + "v".repeat(9000) + "\r\n\r\n",
        431,
        "headers_too_large");
    StringBuilder many = new StringBuilder("GET /health HTTP/1.1\r\nHost: t\r\n");
    for (int i = 0; i < 101; i++) {
      many.append("X-").append(i).append(": v\r\n");
    }
    refused(many + "\r\n", 431, "headers_too_large");
    StringBuilder big = new StringBuilder("GET /health HTTP/1.1\r\nHost: t\r\n");
    for (int i = 0; i < 10; i++) {
      big.append("X-").append(i).append(": ").append("v".repeat(4000)).append("\r\n");
    }
    refused(big + "\r\n", 431, "headers_too_large");
  }

  @Test
  void chunkedBodiesAreDecoded() throws Exception {
    try (RawClient c = new RawClient(server.address())) {
      c.send("POST /echo?x=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
      c.send("5;ext=1\r\nhello\r\n");
      Thread.sleep(50); // a chunk split over two writes
      c.send("1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: t\r\n\r\n");
      RawClient.Answer a = c.answer();
      assertEquals(200, a.status(), a.head());
      assertEquals("hello 0123456789", a.body());
      assertEquals("x=1", a.header("X-Query"));
      // A malformed chunk size is the server's 400, though the handler was reading.
      c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
      a = c.answer();
      assertEquals(400, a.status(), a.head());
      assertTrue(a.body().contains("chunk size"), a.body());
    }
    byte[] big = new byte[300_000];
    Arrays.fill(big, (byte) 'q');
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.base() + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertTrue(Arrays.equals(big, r.body()), "the chunked upload came back whole");
  }

  @Test
  void keepAliveServesRequestsOneAfterTheOtherAndHonoursClose() throws Exception {
    try (RawClient c = new RawClient(server.address())) {
      c.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\none");
      RawClient.Answer first = c.answer();
      assertEquals("one", first.body());
      assertNull(first.header("Connection"));
      // Two requests in one write (pipelined) are answered in order.
      c.send(
          "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\ntwo"
              + "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"
              + "GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
      assertEquals("two", c.answer().body());
      assertEquals(404, c.answer().status());
      RawClient.Answer last = c.answer();
      assertEquals(200, last.status());
      assertEquals("close", last.header("Connection"));
      assertTrue(c.closedWithin(2_000));
    }
    try (RawClient c = new RawClient(server.address())) {
      // An unread body is skipped over so that the next request is read from its start.
      c.send(
          "POST /health HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nxxxxxGET /health HTTP/1.1\r\nHost: t\r\n\r\n");
      assertEquals(200, c.answer().status());
      assertEquals(200, c.answer().status());
    }
  }

  @Test
  void http10ClosesUnlessAskedToKeepAliveAndExpectContinueIsAnswered() throws Exception {
    try (RawClient c = new RawClient(server.address())) {
      RawClient.Answer a = c.send("GET /health HTTP/1.0\r\n\r\n").answer();
      assertTrue(a.head().startsWith("HTTP/1.0 200"), a.head());
      assertTrue(c.closedWithin(2_000));
    }
    try (RawClient c = new RawClient(server.address())) {
      c.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      assertEquals("keep-alive", c.answer().header("Connection"));
      assertEquals(200, c.send("GET /health HTTP/1.0\r\n\r\n").answer().status());
    }
    try (RawClient c = new RawClient(server.address())) {
      RawClient.Answer a = c.send("HEAD /health HTTP/1.1\r\nHost: t\r\n\r\n").answer(false);
      assertEquals("15", a.header("Content-Length"));
      // No body followed the HEAD answer: the next answer starts right away.
      assertEquals(
          "{\"status\":\"ok\"}", c.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n").answer().body());
    }
    try (RawClient c = new RawClient(server.address())) {
      c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
      assertEquals("HTTP/1.1 100 Continue", c.line());
      assertEquals("", c.line());
      assertEquals("body", c.send("body").answer().body());
    }
  }
}
