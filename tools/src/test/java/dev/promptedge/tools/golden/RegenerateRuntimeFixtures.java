package dev.promptedge.tools.golden;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a check: writes the runtime's test fixtures into {@code -Dfixtures.regenerate=DIR}. Its name
 * keeps it out of the default test run; run it by name with {@link RuntimeFixtures#COMMAND}.
 */
class RegenerateRuntimeFixtures {

  @Test
  @EnabledIfSystemProperty(named = "fixtures.regenerate", matches = ".+")
  void regenerate() throws IOException {
    Path out = Path.of(System.getProperty("fixtures.regenerate"));
    List<String> written = RuntimeFixtures.regenerate(out);
    System.out.println("wrote " + written.size() + " files into " + out + ": " + written);
  }
}
