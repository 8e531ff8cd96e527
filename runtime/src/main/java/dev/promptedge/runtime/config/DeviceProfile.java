package dev.promptedge.runtime.config;

import com.google.protobuf.TextFormat;
import dev.promptedge.format.DeviceConfig;
import dev.promptedge.format.SourceSettings;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.source.SourceSpec;
import dev.promptedge.runtime.task.EngineSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A device profile read from its {@code .textproto} file and checked, with the paths it names
 * resolved against the profile's directory. Immutable.
 *
 * @param path where the profile was read from
 * @param config the checked configuration
 */
public record DeviceProfile(Path path, DeviceConfig config) {

  /** Format version of {@link DeviceConfig} this runtime reads. */
  public static final int FORMAT_VERSION = 1;

  /**
   * Reads and checks a profile.
   *
   * @throws ProfileException naming the file and the first problem found
   */
  public static DeviceProfile read(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ProfileException("cannot read device profile " + path + ": " + e.getMessage());
    }
    DeviceConfig.Builder builder = DeviceConfig.newBuilder();
    try {
      TextFormat.merge(text, builder);
    } catch (TextFormat.ParseException e) {
      throw new ProfileException(
          "device profile " + path + " is not a DeviceConfig text proto: " + e.getMessage());
    }
    DeviceProfile profile = new DeviceProfile(path, builder.build());
    ProfileChecks.check(profile);
    return profile;
  }

  /** This profile with {@code interpreter.engine} replaced by {@code engine}. */
  public DeviceProfile withEngine(EngineKind engine) {
    DeviceConfig.Builder builder = config.toBuilder();
    builder.getInterpreterBuilder().setEngine(engine.label());
    return new DeviceProfile(path, builder.build());
  }

  /** Directory the profile's relative paths are resolved against. */
  public Path directory() {
    return path.toAbsolutePath().getParent();
  }

  /** The backbone card the profile names. */
  public Path backboneCard() {
    return directory().resolve(config.getBackboneCard());
  }

  /** Reads the backbone card the profile names. */
  public CardFile readCard() {
    return CardFile.read(backboneCard());
  }

  /** The bundle store directory. */
  public Path storeDirectory() {
    return directory().resolve(config.getStore().getDirectory());
  }

  /** Interpreter settings, with defaults where the profile leaves a value at 0. */
  public InterpreterConfig interpreter() {
    return InterpreterConfig.of(config.getInterpreter(), directory());
  }

  /**
   * The profile's frame sources, with {@code dir:} paths resolved against the profile's directory.
   *
   * @throws ProfileException naming the first entry that is not a usable source
   */
  public List<SourceSpec> sources() {
    List<SourceSpec> specs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < config.getSourcesCount(); i++) {
      SourceSettings s = config.getSources(i);
      String where =
          "device profile "
              + path
              + ": sources["
              + i
              + "]"
              + (s.getName().isBlank() ? "" : " (" + s.getName() + ")");
      SourceSpec spec;
      try {
        spec = source(s);
      } catch (IllegalArgumentException e) {
        throw new ProfileException(where + ": " + e.getMessage() + "; " + SOURCE_HINT);
      }
      if (!names.add(spec.name())) {
        throw new ProfileException(
            where + ": name: '" + spec.name() + "' is used twice; give every source its own name");
      }
      specs.add(spec);
    }
    return List.copyOf(specs);
  }

  /**
   * One source's settings as a spec, checked as the profile's are (also for sources added through
   * the API), with a {@code dir:} path resolved against the profile's directory.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public SourceSpec source(SourceSettings s) {
    String url = s.getUrl().strip();
    if (url.startsWith("dir:") && !url.substring(4).isBlank()) {
      url = "dir:" + directory().resolve(url.substring(4).strip());
    }
    return new SourceSpec(
        s.getName(),
        url,
        s.getFps(),
        s.getTasksList(),
        (int) Math.min(Integer.MAX_VALUE, s.getMaxFrameBytes() & 0xFFFFFFFFL));
  }

  private static final String SOURCE_HINT =
      "write e.g. sources { name: \"door\" url: \"http://camera.local/mjpeg\" fps: 5 }"
          + " (url: http(s)://, exec:COMMAND or dir:PATH)";

  /** Task engine settings, with defaults where the profile leaves a value at 0. */
  public EngineSettings engineSettings() {
    return EngineSettings.of(interpreter(), config.getStore());
  }
}
