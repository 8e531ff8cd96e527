package dev.promptedge.runtime.daemon.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Health;
import dev.promptedge.runtime.daemon.serving.DaemonLog;
import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import dev.promptedge.runtime.daemon.serving.Metrics;
import dev.promptedge.runtime.source.ResultsHub;
import dev.promptedge.runtime.source.SourceManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files on the daemon's real HTTP server on loopback: types, ETag and 304, the
 * Content-Security-Policy, 404 for names outside the folder's rule, and no token for the files
 * while the API keeps asking for it.
 */
class DashboardEndpointTest {

  private static final String TOKEN = "dash-token-51c2";
  private static final List<String> FILES =
      List.of("index.html", "style.css", "api.js", "app.js", "live.js", "dom.js", "icon.svg");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ApiServer server;
  private SourceManager sources;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (sources != null) {
      sources.close();
    }
  }

  private String base(String token) {
    // No source is added: the dashboard's files need no frames.
    sources =
        new SourceManager(
            (encoded, tasks) -> {
              throw new IllegalStateException("no source runs in this test");
            },
            new ResultsHub());
    server =
        ApiServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            new ServerLimits(16, 16, 10, 10, 10),
            new ApiServices(
                null,
                null,
                new Metrics(),
                null,
                new MemoryBudget(1 << 20, 100),
                1 << 20,
                token,
                () -> Health.newBuilder().setFormatVersion(1).setStatus("ok").build(),
                new DaemonLog(new PrintStream(new ByteArrayOutputStream(), true)),
                sources,
                settings -> {
                  throw new IllegalArgumentException("this test adds no sources");
                },
                1,
                1 << 16));
    return "http://127.0.0.1:" + server.address().getPort();
  }

  private HttpResponse<byte[]> get(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = DashboardEndpoint.class.getResourceAsStream("dashboard/" + name)) {
      assertNotNull(in, name + " is in the jar");
      return in.readAllBytes();
    }
  }

  @Test
  void everyFileIsServedWithItsTypeAndThePolicy() throws Exception {
    String base = base("");
    HttpResponse<byte[]> page = get(base + "/");
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").get());
    assertArrayEquals(resource("index.html"), page.body());
    for (String name : FILES) {
      HttpResponse<byte[]> r = get(base + "/dashboard/" + name);
      assertEquals(200, r.statusCode(), name);
      assertArrayEquals(resource(name), r.body(), name);
      String type = r.headers().firstValue("Content-Type").orElseThrow();
      String expected =
          name.endsWith(".html")
              ? "text/html; charset=utf-8"
              : name.endsWith(".css")
                  ? "text/css; charset=utf-8"
                  : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "image/svg+xml";
      assertEquals(expected, type, name);
      assertEquals(
          "default-src 'self'",
          r.headers().firstValue("Content-Security-Policy").orElseThrow(),
          name);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
      assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElseThrow());
    }
  }

  @Test
  void everyFileThePageNamesIsServed() throws Exception {
    String base = base("");
    List<String> named = new ArrayList<>();
    Matcher links =
        Pattern.compile("(?:src|href)=\"(/[^\"]+)\"")
            .matcher(new String(resource("index.html"), StandardCharsets.UTF_8));
    while (links.find()) {
      named.add(links.group(1));
    }
    for (String js : List.of("app.js", "api.js", "live.js", "dom.js")) {
      Matcher imports =
          Pattern.compile("from '\\./([^']+)'")
              .matcher(new String(resource(js), StandardCharsets.UTF_8));
      while (imports.find()) {
        named.add("/dashboard/" + imports.group(1));
      }
    }
    assertTrue(
        named.contains("/dashboard/app.js") && named.contains("/dashboard/live.js"), "" + named);
    for (String path : named) {
      assertEquals(200, get(base + path).statusCode(), path);
    }
  }

  @Test
  void aMatchingEtagAnswers304WithoutABody() throws Exception {
    String base = base("");
    HttpResponse<byte[]> first = get(base + "/dashboard/app.js");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
    assertEquals("no-cache", first.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals(etag, get(base + "/dashboard/app.js").headers().firstValue("ETag").get());

    for (String condition : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
      HttpResponse<byte[]> again = get(base + "/dashboard/app.js", "If-None-Match", condition);
      assertEquals(304, again.statusCode(), condition);
      assertEquals(0, again.body().length, condition);
      assertEquals(etag, again.headers().firstValue("ETag").orElseThrow());
      assertEquals(
          "default-src 'self'", again.headers().firstValue("Content-Security-Policy").get());
    }
    HttpResponse<byte[]> changed = get(base + "/dashboard/app.js", "If-None-Match", "\"stale\"");
    assertEquals(200, changed.statusCode());
    assertArrayEquals(resource("app.js"), changed.body());
    String other = get(base + "/dashboard/api.js").headers().firstValue("ETag").get();
    assertFalse(other.equals(etag), "each file has its own ETag");
    assertEquals(200, get(base + "/dashboard/api.js", "If-None-Match", etag).statusCode());
  }

  @Test
  void namesOutsideTheFolderRuleAre404() throws Exception {
    String base = base("");
    InetSocketAddress address = server.address();
    for (String target :
        List.of(
            "/dashboard/nothere.js",
            "/dashboard/",
            "/dashboard",
            "/dashboard/App.js",
            "/dashboard/.app.js",
            "/dashboard/app.js.bak",
            "/dashboard/app.class",
            "/dashboard/../DashboardEndpoint.class",
            "/dashboard/..%2fDashboardEndpoint.class",
            "/dashboard/%2e%2e/%2e%2e/api/DashboardEndpoint.class",
            "/dashboard/dashboard/app.js",
            "/dashboard//app.js",
            "/dashboard/app.js%00.css",
            "/dashboard/..\\app.js",
            "/index.html",
            "/app.js")) {
      String answer = raw(address, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close");
      String status = answer.substring(0, answer.indexOf("\r\n"));
      assertTrue(
          status.startsWith("HTTP/1.1 404 ") || status.startsWith("HTTP/1.1 400 "),
          target + ": " + status);
      assertFalse(answer.contains("sessionStorage"), target + " served a file: " + answer);
      assertTrue(answer.contains("\"code\":\""), target + " answers an ApiError: " + answer);
    }
    HttpResponse<byte[]> post =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/dashboard/app.js"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, post.statusCode());
  }

  @Test
  void filesNeedNoTokenWhileTheApiStillDoes() throws Exception {
    String base = base(TOKEN);
    assertEquals(200, get(base + "/").statusCode());
    for (String name : FILES) {
      assertEquals(200, get(base + "/dashboard/" + name).statusCode(), name);
    }
    for (String path :
        List.of(
            "/v1/health",
            "/metrics",
            "/v1/tasks",
            "/v1/bundles/x",
            "/v1/events",
            "/v1/sources",
            "/v1/sources/cam/snapshot.jpg")) {
      HttpResponse<byte[]> refused = get(base + path);
      assertEquals(401, refused.statusCode(), path);
      assertTrue(refused.headers().firstValue("WWW-Authenticate").isPresent(), path);
    }
    assertEquals(401, get(base + "/v1/health", "Authorization", "Bearer wrong").statusCode());
    HttpResponse<byte[]> health = get(base + "/v1/health", "Authorization", "Bearer " + TOKEN);
    assertEquals(200, health.statusCode());
    assertTrue(new String(health.body(), StandardCharsets.UTF_8).contains("\"status\":\"ok\""));
    assertEquals(200, get(base + "/metrics", "Authorization", "Bearer " + TOKEN).statusCode());
  }

  @Test
  void headAnswersTheLengthWithoutTheBody() throws Exception {
    String answer =
        raw(
            new InetSocketAddress("127.0.0.1", URI.create(base("") + "/").getPort()),
            "HEAD /dashboard/style.css HTTP/1.1\r\nHost: x\r\nConnection: close");
    assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
    assertTrue(
        answer.toLowerCase().contains("content-length: " + resource("style.css").length), answer);
    assertTrue(answer.endsWith("\r\n\r\n"), "no body after the head: " + answer);
  }

  /** Sends {@code head} on a raw socket (no client-side normalization) and reads to the close. */
  private static String raw(InetSocketAddress address, String head) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address, 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
