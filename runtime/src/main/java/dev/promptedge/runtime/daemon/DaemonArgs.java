package dev.promptedge.runtime.daemon;

import dev.promptedge.runtime.engine.EngineKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The command line of {@code promptedged}: {@code --profile FILE} and an optional {@code --engine
 * KIND} that overrides the profile's {@code interpreter.engine}, in either order; or {@code
 * --help}.
 *
 * @param profile the device profile to serve; null when {@code help} is set
 * @param engine the engine given on the command line, if any
 * @param help whether the usage was asked for
 */
record DaemonArgs(Path profile, Optional<EngineKind> engine, boolean help) {

  static final String USAGE =
      "usage: promptedged --profile FILE.textproto [--engine tflite|onnxruntime|auto]";

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException naming what is wrong with the command line
   */
  static DaemonArgs parse(List<String> args) {
    if (args.size() == 1 && (args.get(0).equals("--help") || args.get(0).equals("-h"))) {
      return new DaemonArgs(null, Optional.empty(), true);
    }
    Path profile = null;
    Optional<EngineKind> engine = Optional.empty();
    for (int i = 0; i < args.size(); i += 2) {
      String option = args.get(i);
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args.get(i + 1);
      switch (option) {
        case "--profile" -> {
          if (profile != null) {
            throw new IllegalArgumentException("--profile is given twice");
          }
          profile = Path.of(value);
        }
        case "--engine" -> {
          if (engine.isPresent()) {
            throw new IllegalArgumentException("--engine is given twice");
          }
          engine = Optional.of(EngineKind.parse(value));
        }
        default -> throw new IllegalArgumentException("unknown option '" + option + "'");
      }
    }
    if (profile == null) {
      throw new IllegalArgumentException("--profile is required");
    }
    return new DaemonArgs(profile, engine, false);
  }
}
