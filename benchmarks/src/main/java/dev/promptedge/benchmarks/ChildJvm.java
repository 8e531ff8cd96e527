package dev.promptedge.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM a measurement starts and reads: a real {@code promptedged} on loopback (its profile,
 * start, ready line and port) or any other main class, with its resident set size from {@code
 * /proc}; closing it stops the process.
 */
final class ChildJvm implements AutoCloseable {

  static final String DAEMON_MAIN = "dev.promptedge.runtime.daemon.Promptedged";
  private static final Pattern READY =
      Pattern.compile("promptedged ready on http://[^:]+:(\\d+) .*");

  final Process process;
  private final BufferedReader out;
  private final String base;

  private ChildJvm(Process process, BufferedReader out, String base) {
    this.process = process;
    this.out = out;
    this.base = base;
  }

  /**
   * Writes {@code dir/bench.textproto}: a benchmark board on {@code card} with its store in {@code
   * dir/store}, plus {@code settings} (interpreter, api and other profile lines).
   */
  static Path daemonProfile(Path dir, Path card, String... settings) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("format_version: 1");
    lines.add("board: \"benchmark\"");
    lines.add("backbone_card: \"" + card.toAbsolutePath() + "\"");
    lines.add("store { directory: \"" + dir.resolve("store").toAbsolutePath() + "\" }");
    lines.addAll(List.of(settings));
    lines.add("");
    return Files.writeString(dir.resolve("bench.textproto"), String.join("\n", lines));
  }

  /**
   * Starts {@code promptedged} on {@code profile} and waits for its ready line; {@link #base} is
   * then the daemon's {@code http://127.0.0.1:PORT}.
   */
  static ChildJvm startDaemon(
      String classpath, List<String> jvmOptions, Path profile, ProcessBuilder.Redirect errors)
      throws IOException, InterruptedException {
    ChildJvm child =
        start(classpath, jvmOptions, DAEMON_MAIN, List.of("--profile", profile.toString()), errors);
    try {
      return new ChildJvm(child.process, child.out, daemonBase(child.firstLine(errors)));
    } catch (RuntimeException | IOException | InterruptedException e) {
      child.close();
      throw e;
    }
  }

  /** The base URL of a daemon started by {@link #startDaemon}. */
  String base() {
    return base;
  }

  /** Starts {@code java jvmOptions -cp classpath main args} with stderr sent to {@code errors}. */
  static ChildJvm start(
      String classpath,
      List<String> jvmOptions,
      String main,
      List<String> args,
      ProcessBuilder.Redirect errors)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(main);
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectError(errors).start();
    return new ChildJvm(
        process,
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
        null);
  }

  /** The first line the child printed; fails when it exited without printing one. */
  String firstLine(ProcessBuilder.Redirect errors) throws IOException, InterruptedException {
    String line = out.readLine();
    if (line == null) {
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "process exited before it was ready"
              + (errors.equals(ProcessBuilder.Redirect.DISCARD) ? "" : "; see " + errors.file()));
    }
    return line;
  }

  private static String daemonBase(String ready) {
    Matcher m = READY.matcher(ready);
    if (!m.matches()) {
      throw new IllegalStateException("daemon did not get ready: " + ready);
    }
    return "http://127.0.0.1:" + m.group(1);
  }

  /** VmRSS of the child in KiB. */
  long rssKib() throws IOException {
    long pid = process.pid();
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }

  /**
   * Closes the child's stdin, asks it to stop and kills it if it has not within 10 s; interrupted
   * while waiting, it kills the child at once and keeps the calling thread's interrupt set.
   */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
