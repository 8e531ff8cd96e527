package dev.promptedge.tools.publish;

import dev.promptedge.format.Role;
import dev.promptedge.format.Targets;
import dev.promptedge.runtime.store.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The publisher's private settings of one repository, in {@code DIR/.publisher}: key file paths and
 * thresholds per role, expiry periods, and the bundles staged for the next publish. Not
 * thread-safe.
 */
public final class PublisherConfig {

  /** Folder of the publisher's state inside the repository (never served). */
  public static final String FOLDER = ".publisher";

  private static final String CONFIG = "config.properties";
  private static final String STAGED = "staged-targets.pb";

  /**
   * How long each role's metadata stays valid after it is signed.
   *
   * @param root root metadata
   * @param targets targets metadata
   * @param snapshot snapshot metadata
   * @param timestamp timestamp metadata (short: it bounds how long a freeze goes unnoticed)
   */
  public record Expiries(Duration root, Duration targets, Duration snapshot, Duration timestamp) {

    /** Root 365 days, targets 90 days, snapshot 7 days, timestamp 1 day. */
    public static Expiries defaults() {
      return new Expiries(
          Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(7), Duration.ofDays(1));
    }

    Duration of(Role role) {
      return switch (role) {
        case ROOT -> root;
        case TARGETS -> targets;
        case SNAPSHOT -> snapshot;
        default -> timestamp;
      };
    }
  }

  private final Path folder;
  private final Properties properties;

  private PublisherConfig(Path folder, Properties properties) {
    this.folder = folder;
    this.properties = properties;
  }

  static PublisherConfig create(
      Path dir, Map<Role, RepoPublisher.RoleKeyFiles> roles, Expiries expiries) throws IOException {
    PublisherConfig config = new PublisherConfig(dir.resolve(FOLDER), new Properties());
    for (Role role : RepoPublisher.ROLES) {
      RepoPublisher.RoleKeyFiles files = roles.get(role);
      if (files == null) {
        throw new IllegalArgumentException("no keys for the " + name(role) + " role");
      }
      config.put(role, files);
      config.properties.setProperty("expires." + name(role), expiries.of(role).toString());
    }
    config.save();
    return config;
  }

  static PublisherConfig read(Path dir) throws IOException {
    Path folder = dir.resolve(FOLDER);
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(Files.readString(folder.resolve(CONFIG))));
    } catch (NoSuchFileException e) {
      throw new IllegalStateException(
          dir + " is not an update repository (no " + FOLDER + "/" + CONFIG + "): run repo init");
    }
    return new PublisherConfig(folder, properties);
  }

  RepoPublisher.RoleKeyFiles role(Role role) {
    String keys = properties.getProperty("role." + name(role) + ".keys", "");
    return new RepoPublisher.RoleKeyFiles(
        Arrays.stream(keys.split(",")).filter(s -> !s.isBlank()).map(Path::of).toList(),
        Integer.parseInt(properties.getProperty("role." + name(role) + ".threshold", "1")));
  }

  Expiries expiries() {
    return new Expiries(
        expiry(Role.ROOT), expiry(Role.TARGETS), expiry(Role.SNAPSHOT), expiry(Role.TIMESTAMP));
  }

  private Duration expiry(Role role) {
    return Duration.parse(
        properties.getProperty("expires." + name(role), Expiries.defaults().of(role).toString()));
  }

  void update(Map<Role, RepoPublisher.RoleKeyFiles> changes) throws IOException {
    changes.forEach(this::put);
    save();
  }

  private void put(Role role, RepoPublisher.RoleKeyFiles files) {
    properties.setProperty(
        "role." + name(role) + ".keys",
        String.join(",", files.keys().stream().map(Path::toString).toList()));
    properties.setProperty(
        "role." + name(role) + ".threshold", Integer.toString(files.threshold()));
  }

  Targets staged() throws IOException {
    try {
      return Targets.parseFrom(Files.readAllBytes(folder.resolve(STAGED)));
    } catch (NoSuchFileException e) {
      return Targets.getDefaultInstance();
    }
  }

  void saveStaged(Targets staged) throws IOException {
    AtomicFiles.write(folder.resolve(STAGED), staged.toByteArray());
  }

  private void save() throws IOException {
    StringWriter text = new StringWriter();
    properties.store(text, "promptedge update repository: publisher settings (never serve this)");
    AtomicFiles.write(
        folder.resolve(CONFIG), text.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  static String name(Role role) {
    return role.name().toLowerCase(Locale.ROOT);
  }
}
