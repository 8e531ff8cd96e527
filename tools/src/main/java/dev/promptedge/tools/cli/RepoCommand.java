package dev.promptedge.tools.cli;

import dev.promptedge.format.Role;
import dev.promptedge.format.Root;
import dev.promptedge.format.TargetBundle;
import dev.promptedge.tools.publish.PublisherConfig;
import dev.promptedge.tools.publish.RepoPublisher;
import dev.promptedge.tools.publish.RepoServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code promptedge repo}: a static update repository of signed metadata and bundles. */
@Command(
    name = "repo",
    mixinStandardHelpOptions = true,
    description = {
      "A static update repository (TUF roles root, targets, snapshot, timestamp as signed"
          + " protobuf files, plus the bundles) that any HTTP server or CDN can serve; devices"
          + " poll its URL (updates.channel_url). Upload everything except DIR/.publisher.",
      "",
      "Example: promptedge repo init --dir repo --root-key keys/root.key --targets-key"
          + " keys/targets.key --snapshot-key keys/snapshot.key --timestamp-key"
          + " keys/timestamp.key && promptedge repo add --dir repo shapes.bundle && promptedge"
          + " repo publish --dir repo"
    },
    subcommands = CommandLine.HelpCommand.class)
final class RepoCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Key options of the four roles. */
  static final class RoleKeyOptions {
    @Option(names = "--root-key", paramLabel = "KEY", description = "Root key (repeatable).")
    List<Path> root;

    @Option(names = "--targets-key", paramLabel = "KEY", description = "Targets key (repeatable).")
    List<Path> targets;

    @Option(
        names = "--snapshot-key",
        paramLabel = "KEY",
        description = "Snapshot key (repeatable).")
    List<Path> snapshot;

    @Option(
        names = "--timestamp-key",
        paramLabel = "KEY",
        description = "Timestamp key (repeatable).")
    List<Path> timestamp;

    Map<Role, RepoPublisher.RoleKeyFiles> roles(int threshold) {
      Map<Role, RepoPublisher.RoleKeyFiles> roles = new EnumMap<>(Role.class);
      put(roles, Role.ROOT, root, threshold);
      put(roles, Role.TARGETS, targets, threshold);
      put(roles, Role.SNAPSHOT, snapshot, threshold);
      put(roles, Role.TIMESTAMP, timestamp, threshold);
      return roles;
    }

    private static void put(
        Map<Role, RepoPublisher.RoleKeyFiles> roles, Role role, List<Path> keys, int threshold) {
      if (keys != null && !keys.isEmpty()) {
        roles.put(role, new RepoPublisher.RoleKeyFiles(keys, threshold));
      }
    }
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = "Create a repository with root version 1 (keys and thresholds per role).")
  int init(
      @Option(names = "--dir", required = true, paramLabel = "DIR") Path dir,
      @CommandLine.ArgGroup(exclusive = false, multiplicity = "1") RoleKeyOptions keys,
      @Option(
              names = "--threshold",
              defaultValue = "1",
              description = "Signatures each role needs (default: 1).")
          int threshold,
      @Option(
              names = "--expires",
              paramLabel = "ROLE=DAYS",
              description =
                  "Days each role's metadata stays valid, e.g. timestamp=1 (defaults: root=365,"
                      + " targets=90, snapshot=7, timestamp=1).")
          Map<String, Long> expires)
      throws Exception {
    Map<Role, RepoPublisher.RoleKeyFiles> roles = keys.roles(threshold);
    for (Role role : RepoPublisher.ROLES) {
      if (!roles.containsKey(role)) {
        throw new IllegalArgumentException(
            "give at least one --" + role.name().toLowerCase() + "-key");
      }
    }
    RepoPublisher publisher = RepoPublisher.init(dir, roles, expiries(expires), Clock.systemUTC());
    out().printf("created %s with root v%d%n", dir, publisher.root().getVersion());
    return 0;
  }

  private static PublisherConfig.Expiries expiries(Map<String, Long> days) {
    PublisherConfig.Expiries d = PublisherConfig.Expiries.defaults();
    if (days == null) {
      return d;
    }
    for (String role : days.keySet()) {
      if (!List.of("root", "targets", "snapshot", "timestamp").contains(role)) {
        throw new IllegalArgumentException(
            "--expires " + role + "=...: use root, targets, snapshot or timestamp");
      }
    }
    return new PublisherConfig.Expiries(
        days.containsKey("root") ? Duration.ofDays(days.get("root")) : d.root(),
        days.containsKey("targets") ? Duration.ofDays(days.get("targets")) : d.targets(),
        days.containsKey("snapshot") ? Duration.ofDays(days.get("snapshot")) : d.snapshot(),
        days.containsKey("timestamp") ? Duration.ofDays(days.get("timestamp")) : d.timestamp());
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Copy a bundle into the repository and stage it for the next publish.")
  int add(
      @Option(names = "--dir", required = true, paramLabel = "DIR") Path dir,
      @Parameters(paramLabel = "BUNDLE", description = "Bundle file.") Path bundle,
      @Option(
              names = "--boards",
              split = ",",
              paramLabel = "BOARD",
              description = "Boards that may install it (default: every board).")
          List<String> boards)
      throws Exception {
    RepoPublisher publisher = RepoPublisher.open(dir, Clock.systemUTC());
    TargetBundle t = publisher.add(Files.readAllBytes(bundle), boards == null ? List.of() : boards);
    out()
        .printf(
            "staged %s v%d (%d bytes, sha256 %s) for %s: run repo publish%n",
            t.getName(),
            t.getVersion(),
            t.getLength(),
            t.getSha256(),
            t.getCompatibleBoardsCount() == 0 ? "every board" : t.getCompatibleBoardsList());
    return 0;
  }

  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description = "Sign and write new targets, snapshot and timestamp versions.")
  int publish(@Option(names = "--dir", required = true, paramLabel = "DIR") Path dir)
      throws Exception {
    RepoPublisher.Published p = RepoPublisher.open(dir, Clock.systemUTC()).publish();
    out()
        .printf(
            "published %s: targets v%d, snapshot v%d, timestamp v%d%n",
            dir, p.targets(), p.snapshot(), p.timestamp());
    return 0;
  }

  @Command(
      name = "rotate-root",
      mixinStandardHelpOptions = true,
      description =
          "Write root version N+1 with new keys for the given roles, signed by the old and the"
              + " new root keys, then publish so that every role carries the new signatures.")
  int rotateRoot(
      @Option(names = "--dir", required = true, paramLabel = "DIR") Path dir,
      @CommandLine.ArgGroup(exclusive = false, multiplicity = "1") RoleKeyOptions keys,
      @Option(
              names = "--threshold",
              defaultValue = "1",
              description = "Signatures each rotated" + " role needs (default: 1).")
          int threshold)
      throws Exception {
    RepoPublisher publisher = RepoPublisher.open(dir, Clock.systemUTC());
    Root root = publisher.rotateRoot(keys.roles(threshold));
    RepoPublisher.Published p = publisher.publish();
    out()
        .printf(
            "root v%d written; published targets v%d, snapshot v%d, timestamp v%d%n",
            root.getVersion(), p.targets(), p.snapshot(), p.timestamp());
    return 0;
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Serve the repository's files on 127.0.0.1 until interrupted (Ctrl-C).")
  int serve(
      @Option(names = "--dir", required = true, paramLabel = "DIR") Path dir,
      @Option(names = "--port", defaultValue = "8471", description = "TCP port (default: 8471).")
          int port)
      throws Exception {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is not a directory: run repo init first");
    }
    try (RepoServer server = RepoServer.start(dir, port)) {
      out().printf("serving %s at %s (Ctrl-C stops)%n", dir, server.url());
      out().flush();
      new CountDownLatch(1).await();
    }
    return 0;
  }
}
