package dev.promptedge.tools.golden;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a check: writes the golden files into {@code -Dgolden.regenerate=DIR}. Its name keeps it out
 * of the default test run; run it by name with the command in {@link GoldenFiles#REGENERATE}.
 */
class RegenerateGolden {

  @Test
  @EnabledIfSystemProperty(named = "golden.regenerate", matches = ".+")
  void regenerate() throws IOException {
    Path out = Path.of(System.getProperty("golden.regenerate"));
    GoldenFiles.regenerate(out);
    System.out.println(
        "wrote "
            + List.of(
                GoldenFiles.CARD_V2,
                GoldenFiles.BUNDLE_V2,
                GoldenFiles.CNN_CARD,
                GoldenFiles.CNN_BUNDLE)
            + " into "
            + out);
  }
}
