package dev.promptedge.runtime.mqtt;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code mosquitto} broker on a free loopback port, for the life of a test. */
final class Mosquitto implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/sbin/mosquitto");

  final int port;
  private final Process process;

  private Mosquitto(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  /** Starts a broker allowing anonymous clients; skips the test where mosquitto is absent. */
  static Mosquitto start(Path dir) throws Exception {
    return start(dir, freePort(), List.of("allow_anonymous true"));
  }

  /** Starts a broker on {@code port} with extra config lines. */
  static Mosquitto start(Path dir, int port, List<String> config) throws Exception {
    assumeTrue(
        Files.isExecutable(BINARY),
        "the MQTT tests need Debian's mosquitto broker: apt-get install mosquitto");
    Path conf = dir.resolve("mosquitto-" + port + ".conf");
    StringBuilder text = new StringBuilder("listener " + port + " 127.0.0.1\n");
    for (String line : config) {
      text.append(line).append('\n');
    }
    Files.writeString(conf, text);
    Process p =
        new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto-" + port + ".log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new Mosquitto(port, p);
      } catch (IOException e) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "mosquitto exited: " + Files.readString(dir.resolve("mosquitto-" + port + ".log")));
        }
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("mosquitto did not listen on " + port + " within 10 s");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
