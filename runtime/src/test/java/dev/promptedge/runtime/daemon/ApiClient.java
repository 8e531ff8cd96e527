package dev.promptedge.runtime.daemon;

import dev.promptedge.format.ApiError;
import dev.promptedge.runtime.json.ProtoJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A client of the daemon's API for tests, sending the bearer token unless told not to. */
public final class ApiClient {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;
  private final Duration timeout;

  public ApiClient(int port, String token) {
    this(port, token, Duration.ofSeconds(30));
  }

  /** A client whose requests wait up to {@code timeout} for an answer (e.g. under emulation). */
  public ApiClient(int port, String token, Duration timeout) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
    this.timeout = timeout;
  }

  public HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  public HttpResponse<byte[]> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  public HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  public HttpResponse<byte[]> post(String path, byte[] body)
      throws IOException, InterruptedException {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public HttpResponse<byte[]> put(String path, String json)
      throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  public HttpResponse<byte[]> delete(String path) throws IOException, InterruptedException {
    return send(request(path).DELETE());
  }

  public static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** The ApiError of an error answer, checking that it is JSON with a code and a message. */
  public static ApiError error(HttpResponse<byte[]> response) {
    ApiError e = ProtoJson.merge(text(response), ApiError.newBuilder()).build();
    if (e.getCode().isEmpty() || e.getMessage().isEmpty()) {
      throw new AssertionError("error without code or message: " + text(response));
    }
    return e;
  }
}
