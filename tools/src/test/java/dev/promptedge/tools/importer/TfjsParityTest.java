package dev.promptedge.tools.importer;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converter against TF.js itself: the fixture run by {@code @tensorflow/tfjs} on Node (needs
 * {@code npm ci} in tools/src/test/node). With {@code -Dpromptedge.tfjs.record=DIR} it also writes
 * TF.js' outputs there, which is how the golden files of {@link TfjsConverterTest} were made.
 */
class TfjsParityTest {

  static final Path NODE_DIR = Path.of("src/test/node");

  @Test
  void convertedFixtureMatchesTfjsOnNode(@TempDir Path dir) throws IOException {
    TfjsReference reference = new TfjsReference(NODE_DIR);
    String missing = reference.missing();
    assumeTrue(missing == null, "TF.js reference unavailable: " + missing);
    Path json = TfjsFixture.write(dir);
    List<float[]> tfjs =
        reference.run(json, Probes.input(16, 16), new int[] {1, 3, 16, 16}, TfjsFixture.PROBES);
    Map<String, float[]> ours = Probes.run(json, 16, 16, TfjsFixture.PROBES);
    String record = System.getProperty("promptedge.tfjs.record");
    for (int i = 0; i < tfjs.size(); i++) {
      String probe = TfjsFixture.PROBES.get(i);
      double error = OriginalParity.relative(ours.get(probe), tfjs.get(i));
      assertTrue(error < 1e-5, probe + ": relative error " + error + " against TF.js");
      if (record != null) {
        ByteBuffer b = ByteBuffer.allocate(tfjs.get(i).length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(tfjs.get(i));
        Files.createDirectories(Path.of(record));
        Files.write(Path.of(record, probe + ".f32"), b.array());
      }
    }
  }
}
