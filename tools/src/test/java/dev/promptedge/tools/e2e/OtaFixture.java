package dev.promptedge.tools.e2e;

import dev.promptedge.format.Role;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.fixtures.OtaDevice;
import dev.promptedge.runtime.fixtures.TestRepoServer;
import dev.promptedge.runtime.ota.CheckResult;
import dev.promptedge.runtime.ota.UpdateClient;
import dev.promptedge.runtime.ota.UpdateListener;
import dev.promptedge.runtime.ota.UpdateOptions;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.tools.publish.KeyFiles;
import dev.promptedge.tools.publish.PublisherConfig;
import dev.promptedge.tools.publish.RepoPublisher;
import dev.promptedge.tools.publish.SigningKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One device and one publisher for the OTA suite: a micro backbone, a real task engine over a real
 * store, a signed repository served by a real HTTP server on loopback, and an update client whose
 * clock stands at the publish time.
 */
final class OtaFixture implements AutoCloseable {

  static final String BOARD = "test-board";

  /**
   * The publisher's and the in-process device's start time: now, so that a daemon process on the
   * system clock agrees with it (a device refuses metadata signed more than a day ahead).
   */
  static final Instant START = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  final Path dir;
  final MicroSetup setup;
  final Backbone backbone;
  final TaskEngine engine;
  final Path repo;
  final TestRepoServer server;
  final Clock clock = Clock.fixed(START, ZoneOffset.UTC);
  final List<SigningKey> rootKeys = new java.util.ArrayList<>();
  RepoPublisher publisher;
  final UpdateClient client;

  OtaFixture(Path dir) throws IOException {
    this(dir, Map.of());
  }

  /** A fixture whose roles use {@code roles} instead of one fresh key each (threshold tests). */
  OtaFixture(Path dir, Map<Role, RepoPublisher.RoleKeyFiles> roles) throws IOException {
    this.dir = dir;
    this.setup = new MicroSetup(Files.createDirectories(dir.resolve("backbone")), false);
    this.backbone = Backbone.open(setup.card, false, MicroSetup.CONFIG);
    this.engine =
        TaskEngine.open(
            backbone,
            BundleStore.open(dir.resolve("store")),
            new EngineSettings(MicroSetup.CONFIG, EngineSettings.DEFAULT_RESIDENT_BUDGET, 1 << 20));
    Map<Role, RepoPublisher.RoleKeyFiles> all = new EnumMap<>(Role.class);
    for (Role role : RepoPublisher.ROLES) {
      Path key = key(role.name().toLowerCase());
      all.put(role, roles.getOrDefault(role, new RepoPublisher.RoleKeyFiles(List.of(key), 1)));
    }
    for (Path key : all.get(Role.ROOT).keys()) {
      rootKeys.add(KeyFiles.read(key));
    }
    this.repo = dir.resolve("repo");
    this.publisher =
        RepoPublisher.init(
            repo,
            all,
            new PublisherConfig.Expiries(
                Duration.ofDays(365), Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(1)),
            clock);
    this.server = new TestRepoServer(repo);
    this.client = newClient();
  }

  /** A fresh key file {@code keys/NAME.key}. */
  Path key(String name) throws IOException {
    Path keys = dir.resolve("keys");
    KeyFiles.generate(keys, name);
    return keys.resolve(name + ".key");
  }

  /** The device's update client, pinning the keys of root v1. */
  private UpdateClient newClient() {
    return UpdateClient.open(
        new UpdateOptions(
            URI.create(server.url()),
            rootKeys.stream().map(SigningKey::trustedKey).toList(),
            BOARD,
            Duration.ofHours(1),
            Duration.ZERO,
            OtaDevice.LIMITS,
            clock,
            UpdateOptions.DEFAULT_MAX_CLOCK_AHEAD),
        engine,
        UpdateListener.NONE);
  }

  /** Packs, stages and publishes detection bundle {@code name} v{@code version}. */
  MicroSetup.Packed publish(String name, long version, long seed) throws IOException {
    MicroSetup.Packed packed = setup.detection(name, version, seed);
    publisher.add(packed.bundle().toBytes(), List.of());
    publisher.publish();
    return packed;
  }

  CheckResult check() {
    return client.checkOnce();
  }

  /** Asserts that the active task is {@code name} v{@code version} and that it serves. */
  void assertServing(String name, long version) {
    OtaDevice.assertServing(engine, name, version);
  }

  /** Asserts a refusal with {@code reason}, then that {@code name} v{@code version} serves. */
  void assertRefused(CheckResult result, String reason, String name, long version) {
    OtaDevice.assertRefused(engine, result, reason, name, version);
  }

  byte[] read(String path) throws IOException {
    return Files.readAllBytes(repo.resolve(path));
  }

  void write(String path, byte[] bytes) throws IOException {
    Files.write(repo.resolve(path), bytes);
  }

  @Override
  public void close() {
    client.close();
    server.close();
    engine.close();
    backbone.close();
  }
}
