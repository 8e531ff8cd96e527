package dev.promptedge.runtime.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real {@code promptedged} JVM started on the test class path, read back from its ready line. */
public final class DaemonProcess implements AutoCloseable {

  private static final Pattern READY =
      Pattern.compile("promptedged ready on http://127\\.0\\.0\\.1:(\\d+) in (\\d+) ms.*");

  public final Process process;
  public final String readyLine;
  public final int port;
  public final long startMillis;
  public final Path stderr;

  private DaemonProcess(Process process, String readyLine, Path stderr) {
    this.process = process;
    this.readyLine = readyLine;
    this.stderr = stderr;
    Matcher m = READY.matcher(readyLine);
    if (!m.matches()) {
      throw new AssertionError("not a ready line: " + readyLine);
    }
    this.port = Integer.parseInt(m.group(1));
    this.startMillis = Long.parseLong(m.group(2));
  }

  public static DaemonProcess start(Path profile, Path stderr) throws Exception {
    return start(profile, stderr, List.of("-Xmx256m"));
  }

  /** Starts the daemon with {@code jvmOptions} (e.g. the service unit's {@code -Xmx192m}). */
  public static DaemonProcess start(Path profile, Path stderr, List<String> jvmOptions)
      throws Exception {
    return start(command(profile, jvmOptions), stderr, Duration.ofSeconds(60));
  }

  /**
   * Starts {@code command} (a daemon command line, e.g. {@link #command(List, Path, List)}) and
   * waits up to {@code ready} for its ready line.
   */
  public static DaemonProcess start(ProcessBuilder command, Path stderr, Duration ready)
      throws Exception {
    Process process = command.redirectError(stderr.toFile()).start();
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
          "the daemon did not get ready in " + ready + ": " + Files.readString(stderr), e);
    }
    if (readyLine == null) {
      process.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          "the daemon exited (" + process.exitValue() + "): " + Files.readString(stderr));
    }
    return new DaemonProcess(process, readyLine, stderr);
  }

  /** The command line of a daemon JVM with {@code jvmOptions} serving {@code profile}. */
  public static ProcessBuilder command(Path profile, List<String> jvmOptions) {
    return command(
        List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
        profile,
        jvmOptions);
  }

  /**
   * The command line of a daemon started by {@code java} (the java launcher, possibly behind an
   * emulator such as {@code qemu-aarch64-static}) on this test's class path.
   */
  public static ProcessBuilder command(List<String> java, Path profile, List<String> jvmOptions) {
    List<String> command = new ArrayList<>(java);
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "dev.promptedge.runtime.daemon.Promptedged",
            "--profile",
            profile.toString()));
    return new ProcessBuilder(command);
  }

  /** Resident set size of the daemon, from /proc, in KiB; -1 when unavailable. */
  public long rssKib() throws IOException {
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String l : Files.readAllLines(status)) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /**
   * Sends SIGKILL, as a crash of native code would end the daemon, and waits up to 10 s for it to
   * exit.
   *
   * @return the exit code, 137 after SIGKILL
   */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    return exitWithin(10);
  }

  /**
   * Sends SIGTERM, a clean stop, and waits up to 30 s for the daemon to drain and exit.
   *
   * @return the exit code, 143 after SIGTERM
   */
  public int stop() throws InterruptedException {
    process.destroy();
    return exitWithin(30);
  }

  private int exitWithin(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the daemon had not exited " + seconds + " s after the signal");
    }
    return process.exitValue();
  }

  public String stderrText() throws IOException {
    return Files.readString(stderr);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
