package dev.promptedge.runtime.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client on a real HTTP connection: a thread reads the stream as it comes and
 * keeps each event (and each comment line) in order.
 */
final class SseClient implements AutoCloseable {

  /**
   * One event: its {@code event:} name (or {@code "comment"} for a comment line), data, and when it
   * was read (epoch millis).
   */
  record Event(String name, String data, long receivedMillis) {}

  final HttpResponse<InputStream> response;
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile boolean ended;

  private SseClient(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    if (response.statusCode() == 200) {
      reader.start();
    }
  }

  /** Opens {@code url}, sending {@code token} as a bearer token unless null. */
  static SseClient open(String url, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    return new SseClient(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String name = "message";
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            events.add(new Event(name, data.toString(), System.currentTimeMillis()));
          }
          name = "message";
          data.setLength(0);
        } else if (line.startsWith(":")) {
          events.add(new Event("comment", line.substring(1).trim(), System.currentTimeMillis()));
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) {
            data.append('\n');
          }
          data.append(line.substring(5).stripLeading());
        }
      }
    } catch (IOException e) {
      // the stream broke
    } finally {
      ended = true;
    }
  }

  /** The next event matching {@code match} within {@code millis}, skipping the others. */
  Optional<Event> next(Predicate<Event> match, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      Event e = events.poll(left, TimeUnit.NANOSECONDS);
      if (e != null && match.test(e)) {
        return Optional.of(e);
      }
    }
  }

  /** The next {@code count} frame events, failing after {@code millis}. */
  List<Event> frames(int count, long millis) throws InterruptedException {
    List<Event> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + millis;
    while (out.size() < count) {
      long left = deadline - System.currentTimeMillis();
      Event e =
          next(x -> x.name().equals("frame"), Math.max(1, left))
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "only " + out.size() + " of " + count + " frame events in " + millis));
      out.add(e);
    }
    return out;
  }

  /** Whether the server ended the stream. */
  boolean ended() {
    return ended;
  }

  @Override
  public void close() throws IOException {
    response.body().close();
  }
}
