package dev.promptedge.runtime.bundle;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parent side of the byte-flip sweep: runs {@link HeadSweep} in child JVMs on the test
 * classpath, records the case a child died on (a native abort) and restarts after it, so one crash
 * is one named case instead of a dead test run.
 */
final class HeadSweepRunner {

  /** A child that prints nothing for this long is killed and its case counted as a crash. */
  static final long SILENCE_MILLIS = 60_000;

  /** A case whose child JVM died: its index, what it was, and the child's last words. */
  record Crash(int index, String what, String cause) {}

  /** Outcome counts, crashes and findings of one sweep. */
  record Result(
      int cases, Map<String, Integer> outcomes, List<Crash> crashes, List<String> findings) {

    @Override
    public String toString() {
      Map<String, Integer> kinds = new TreeMap<>();
      for (Crash c : crashes) {
        String pattern =
            c.what().startsWith("byte") ? c.what().replaceAll("byte \\d+ ", "") : "mutation";
        kinds.merge(pattern + ", " + c.cause(), 1, Integer::sum);
      }
      return cases
          + " cases, outcomes "
          + outcomes
          + ", "
          + crashes.size()
          + " crashes "
          + kinds
          + " at "
          + crashes.stream().map(Crash::what).toList();
    }
  }

  private HeadSweepRunner() {}

  static Result run(String mode, Path bundle, Path card, int mutations, Path scratch)
      throws Exception {
    int headLength = HeadSweep.bundle(bundle).getHead().size();
    Map<String, Integer> outcomes = new TreeMap<>();
    List<Crash> crashes = new ArrayList<>();
    List<String> findings = new ArrayList<>();
    int next = 0;
    int cases = 0;
    while (true) {
      Path stderr = Files.createTempFile(scratch, "sweep", ".err");
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-XX:-CreateCoredumpOnCrash",
                  "-XX:ErrorFile=" + scratch.resolve("hs_err_%p.log"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  HeadSweep.class.getName(),
                  mode,
                  bundle.toString(),
                  card.toString(),
                  String.valueOf(mutations),
                  String.valueOf(next))
              .redirectError(stderr.toFile())
              .start();
      AtomicLong lastLine = new AtomicLong(System.currentTimeMillis());
      ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
      watchdog.scheduleAtFixedRate(
          () -> {
            if (System.currentTimeMillis() - lastLine.get() > SILENCE_MILLIS) {
              child.destroyForcibly();
            }
          },
          1,
          1,
          TimeUnit.SECONDS);
      int started = -1;
      boolean done = false;
      List<String> other = new ArrayList<>();
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          lastLine.set(System.currentTimeMillis());
          if (line.equals("DONE")) {
            done = true;
          } else if (line.startsWith("S ")) {
            started = Integer.parseInt(line.substring(2));
          } else if (line.startsWith("R ")) {
            String[] parts = line.split(" ", 3);
            int index = Integer.parseInt(parts[1]);
            String outcome = parts[2];
            String kind =
                outcome.contains(":") ? outcome.substring(0, outcome.indexOf(':')) : outcome;
            outcomes.merge(outcome.startsWith("finding") ? "finding" : outcome, 1, Integer::sum);
            if (kind.equals("finding") || kind.equals("nonfinite")) {
              findings.add(HeadSweep.describe(index, headLength) + ": " + outcome);
            }
            cases++;
            started = -1;
          } else {
            other.add(line);
          }
        }
      } finally {
        child.waitFor(30, TimeUnit.SECONDS);
        watchdog.shutdownNow();
      }
      if (done) {
        Files.deleteIfExists(stderr);
        return new Result(cases, outcomes, crashes, findings);
      }
      if (started < 0) {
        throw new AssertionError(
            "the sweep's child JVM died outside a case (exit "
                + child.exitValue()
                + "): "
                + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      other.addAll(Files.readAllLines(stderr, StandardCharsets.UTF_8));
      crashes.add(new Crash(started, HeadSweep.describe(started, headLength), cause(other)));
      Files.deleteIfExists(stderr);
      cases++;
      next = started + 1;
    }
  }

  /** The child's most telling line: the abort reason or the signal the JVM reported. */
  private static String cause(List<String> lines) {
    for (String line : lines) {
      if (line.contains("bad_alloc")) {
        return "std::bad_alloc";
      }
      for (String signal : new String[] {"SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL", "SIGABRT"}) {
        if (line.contains(signal)) {
          return signal;
        }
      }
    }
    return lines.isEmpty()
        ? "killed after " + SILENCE_MILLIS + " ms of silence"
        : lines.get(lines.size() - 1).trim();
  }
}
