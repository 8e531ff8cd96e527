package dev.promptedge.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Where and when a report was measured: date, host, CPU model, cores, JVM, OS, load average. */
final class SystemInfo {

  private SystemInfo() {}

  static String describe() {
    return String.join(
        "\n",
        "- date: " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
        "- machine: "
            + host()
            + ", CPU "
            + cpuModel()
            + ", "
            + cores()
            + " cores visible to the JVM",
        "- JVM: "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " on "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.arch"),
        "- load average at the start: "
            + loadAverage()
            + " (other processes may have been running; every ratio compares rows measured"
            + " in this same run)");
  }

  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return System.getProperty("os.arch");
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }
}
