package dev.promptedge.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.promptedge.format.InferResponse;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.daemon.ApiClient;
import dev.promptedge.runtime.daemon.DaemonProcess;
import dev.promptedge.runtime.json.ProtoJson;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The amd64 package installed on this machine with {@code dpkg -i}: the postinst makes the
 * promptedge user (in the gpio group, made here if missing) and the store, the unit's ExecStart
 * runs as that user (setpriv, as systemd's User= would) to its ready line, takes a demo bundle over
 * loopback HTTP and infers the demo scenes; {@code dpkg --purge} then removes the files, the store
 * and the user. Runs only as root where dpkg is, and never over a promptedge package or user
 * already on the machine.
 */
class DebInstallIT {

  static final Path UNIT = Path.of("/usr/lib/systemd/system/promptedged.service");
  static final Path CONFFILE = Path.of("/etc/promptedge/promptedged.textproto");
  static final Path SHARE = Path.of("/usr/share/promptedge");
  static final Path STORE = Path.of("/var/lib/promptedge/bundles");

  @TempDir Path dir;

  @Test
  void installedPackageServesTheDemoAsItsUserAndPurgesClean() throws Exception {
    Path deb = Packages.assumeBuilt("amd64");
    assumeTrue(
        Commands.ok("id", "-u").strip().equals("0"), "dpkg -i needs root (run as root to test)");
    assumeTrue(Commands.onPath("dpkg").isPresent(), "no dpkg on this machine");
    assumeTrue(Commands.onPath("setpriv").isPresent(), "no setpriv (apt-get install util-linux)");
    assumeTrue(
        Commands.run(List.of("dpkg-query", "-W", "promptedge")).exit() != 0,
        "a promptedge package is already installed here; not touching it");
    assumeTrue(
        Commands.run(List.of("getent", "passwd", "promptedge")).exit() != 0,
        "a promptedge user already exists here; not touching it");

    // A board's gpio group (Raspberry Pi OS has one), made here when this machine has none.
    boolean madeGpio = Commands.run(List.of("getent", "group", "gpio")).exit() != 0;
    if (madeGpio) {
      Commands.ok("groupadd", "--system", "gpio");
    }
    long start = System.nanoTime();
    dpkg("-i", deb.toString());
    long installed = System.nanoTime();
    try {
      if (Files.isDirectory(Path.of("/run/systemd/system"))) {
        // The postinst started the unit: this test runs the ExecStart itself, on the same store.
        Commands.ok("systemctl", "stop", "promptedged.service");
      }
      String user = Commands.ok("getent", "passwd", "promptedge").strip();
      assertTrue(user.contains(":/var/lib/promptedge:/usr/sbin/nologin"), user);
      String groups = Commands.ok("id", "-nG", "promptedge");
      assertTrue(List.of(groups.strip().split(" ")).contains("gpio"), groups);
      assertEquals("promptedge", Files.getOwner(STORE).getName());
      PosixFileAttributes profile = Files.readAttributes(CONFFILE, PosixFileAttributes.class);
      assertEquals("promptedge", profile.group().getName(), "the daemon's group reads the profile");
      assertEquals("rw-r-----", PosixFilePermissions.toString(profile.permissions()));
      if (Commands.onPath("systemd-analyze").isPresent()) {
        // systemd's own reading of the installed unit: keys, ExecStart present and executable.
        Commands.ok("systemd-analyze", "verify", UNIT.toString());
      }
      serveTheDemo();
    } finally {
      dpkg("--purge", "promptedge");
      if (madeGpio) {
        Commands.ok("groupdel", "gpio");
      }
    }
    long purged = System.nanoTime();
    for (Path gone :
        List.of(
            UNIT,
            CONFFILE,
            SHARE,
            Path.of("/usr/lib/promptedge"),
            Path.of("/usr/bin/promptedged"),
            Path.of("/var/lib/promptedge"),
            Path.of("/var/cache/promptedge"))) {
      assertFalse(Files.exists(gone), gone + " is left after dpkg --purge");
    }
    assertTrue(Commands.run(List.of("getent", "passwd", "promptedge")).exit() != 0, "user left");
    assertTrue(Commands.run(List.of("getent", "group", "promptedge")).exit() != 0, "group left");
    assertTrue(
        Commands.run(List.of("dpkg-statoverride", "--list", CONFFILE.toString())).exit() != 0,
        "statoverride of the conffile left");
    System.out.printf(
        "dpkg -i %.1f s; serve and dpkg --purge %.1f s%n",
        (installed - start) / 1e9, (purged - installed) / 1e9);
  }

  private void serveTheDemo() throws Exception {
    if (!portFree(8470)) {
      // An administrator's edit of the conffile: this machine already listens on 8470.
      System.out.println("port 8470 is taken here: the test's conffile listens on port 0");
      Files.writeString(CONFFILE, Files.readString(CONFFILE).replace("port: 8470", "port: 0"));
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--reuid=promptedge",
                "--regid=promptedge",
                "--init-groups",
                "--reset-env",
                "--"));
    command.addAll(SystemdUnit.read(UNIT).execStart());
    byte[] bundle = Files.readAllBytes(SHARE.resolve("bundles/nanodet-detect.bundle"));
    String task = BundleReader.parse(bundle, Long.MAX_VALUE).bundle().getName();
    int boxes = 0;
    try (DaemonProcess daemon =
        DaemonProcess.start(
            // "/" is systemd's default WorkingDirectory.
            new ProcessBuilder(command).directory(new File("/")),
            dir.resolve("promptedged.err"),
            Duration.ofSeconds(90))) {
      ApiClient api = new ApiClient(daemon.port, null, Duration.ofSeconds(30));
      assertTrue(
          daemon.readyLine.contains("(amd64), backbone ")
              && daemon.readyLine.contains(" on onnxruntime), "),
          daemon.readyLine);
      HttpResponse<byte[]> put = api.post("/v1/bundles", bundle);
      assertEquals(201, put.statusCode(), ApiClient.text(put));
      for (Path scene : scenes()) {
        HttpResponse<byte[]> r = api.post("/v1/infer?task=" + task, Files.readAllBytes(scene));
        assertEquals(200, r.statusCode(), scene + ": " + ApiClient.text(r));
        InferResponse answer =
            ProtoJson.merge(ApiClient.text(r), InferResponse.newBuilder()).build();
        assertEquals(task, answer.getBundleName());
        assertEquals(64, answer.getImageWidth());
        boxes += answer.getDetectionsCount();
      }
      try (Stream<Path> stored = Files.list(STORE)) {
        for (Path p : stored.toList()) {
          assertEquals("promptedge", Files.getOwner(p).getName(), p.toString());
        }
      }
      assertEquals(143, daemon.stop(), "SIGTERM exit (the unit's SuccessExitStatus)");
      System.out.println(daemon.readyLine + "\n" + boxes + " boxes on the demo detection scenes");
    }
    assertTrue(boxes > 0, "the demo detection bundle finds boxes on the demo scenes");
  }

  /** Runs dpkg, waiting up to two minutes for a lock another apt or dpkg holds. */
  private static void dpkg(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("dpkg"));
    command.addAll(List.of(args));
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      Commands.Result r = Commands.run(command);
      if (r.exit() == 0) {
        return;
      }
      if (!r.output().contains("lock") || System.nanoTime() > deadline) {
        throw new AssertionError(
            String.join(" ", command) + " exited " + r.exit() + ":\n" + r.output());
      }
      Thread.sleep(2000);
    }
  }

  static List<Path> scenes() throws IOException {
    try (Stream<Path> files = Files.list(SHARE.resolve("scenes/detection"))) {
      return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
