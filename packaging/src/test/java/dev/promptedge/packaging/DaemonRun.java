package dev.promptedge.packaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code promptedged} process started from a package's files, read back from its ready line, with
 * a loopback HTTP client of its API. {@link #close()} sends SIGTERM and waits for the exit.
 */
final class DaemonRun implements AutoCloseable {

  private static final Pattern READY =
      Pattern.compile("promptedged ready on http://127\\.0\\.0\\.1:(\\d+) in (\\d+) ms.*");

  final Process process;
  final String readyLine;
  final int port;
  private final Path stderr;
  private final Duration timeout;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private DaemonRun(Process process, String readyLine, Path stderr, Duration timeout) {
    this.process = process;
    this.readyLine = readyLine;
    this.stderr = stderr;
    this.timeout = timeout;
    Matcher m = READY.matcher(readyLine);
    if (!m.matches()) {
      throw new AssertionError("not a ready line: " + readyLine);
    }
    this.port = Integer.parseInt(m.group(1));
  }

  /**
   * Starts {@code command} and waits up to {@code ready} for its ready line; requests then wait up
   * to {@code perRequest}.
   */
  static DaemonRun start(List<String> command, Path stderr, Duration ready, Duration perRequest)
      throws Exception {
    Process process =
        new ProcessBuilder(command)
            .directory(Path.of("/").toFile()) // systemd's default WorkingDirectory
            .redirectError(stderr.toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (IOException e) {
                return null;
              }
            });
    String readyLine;
    try {
      readyLine = line.get(ready.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new AssertionError(
          "promptedged did not get ready in " + ready + ": " + Files.readString(stderr), e);
    }
    if (readyLine == null) {
      process.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          "promptedged exited (" + process.exitValue() + "): " + Files.readString(stderr));
    }
    return new DaemonRun(process, readyLine, stderr, perRequest);
  }

  /** POSTs {@code body} to {@code path} on the daemon's loopback port. */
  HttpResponse<byte[]> post(String path, byte[] body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  String stderrText() throws IOException {
    return Files.readString(stderr);
  }

  /** SIGTERM, then up to 30 s for the drain; the exit code, or -1 after a SIGKILL. */
  int stop() throws InterruptedException {
    process.destroy();
    if (process.waitFor(30, TimeUnit.SECONDS)) {
      return process.exitValue();
    }
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    return -1;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
