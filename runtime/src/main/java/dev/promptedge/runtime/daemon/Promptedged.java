package dev.promptedge.runtime.daemon;

import dev.promptedge.runtime.config.DeviceProfile;
import dev.promptedge.runtime.daemon.serving.DaemonLog;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code promptedged} command: {@code promptedged --profile FILE} starts the daemon of a device
 * profile, prints one ready line (address and start-to-ready time) on standard output and serves
 * until SIGTERM, when it drains the queue and persists the active task. Startup errors are one line
 * on standard error with exit code 1; a wrong command line exits with 2.
 */
public final class Promptedged {

  private Promptedged() {}

  /** Runs the daemon until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    DaemonArgs parsed;
    try {
      parsed = DaemonArgs.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("promptedged: " + e.getMessage() + "; " + DaemonArgs.USAGE);
      System.exit(2);
      return;
    }
    if (parsed.help()) {
      System.out.println(DaemonArgs.USAGE);
      return;
    }
    // Pi4J logs through SLF4J; without a binding SLF4J would print a warning at start.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    DaemonLog log = DaemonLog.stderr();
    Daemon daemon;
    try {
      DeviceProfile read = DeviceProfile.read(parsed.profile());
      DeviceProfile profile = parsed.engine().map(read::withEngine).orElse(read);
      daemon = Daemon.start(profile, log);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      System.err.println("promptedged: " + e.getMessage());
      System.exit(1);
      return;
    }
    Daemon running = daemon;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  long start = System.nanoTime();
                  log.info("stopping: draining the queue");
                  String active = running.health().getActiveTask();
                  running.close();
                  log.info(
                      "stopped in "
                          + (System.nanoTime() - start) / 1_000_000
                          + " ms; active task '"
                          + active
                          + "' persisted");
                },
                "promptedged-shutdown"));
    System.out.println(daemon.readyLine());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
