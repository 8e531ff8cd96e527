package dev.promptedge.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.fuzz.Mutator;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of {@link BundleReader#read}: whatever the bytes, it returns a bundle or throws a {@link
 * BundleException}. Jazzer runs {@link #read} over the checked-in inputs under {@code mvn test} and
 * fuzzes it with {@code JAZZER_FUZZ=1}; the seeded mutation loops run without Jazzer.
 */
class BundleReaderFuzzTest {

  private static final BundleReader READER = new BundleReader(BundleReaderTest.CARD, 64 << 10);

  @FuzzTest(maxDuration = "10s")
  void read(byte[] data) {
    try {
      READER.read(data);
    } catch (BundleException expected) {
      // The documented refusal.
    }
  }

  static List<byte[]> seeds() {
    return List.of(
        BundleReaderTest.envelope(BundleReaderTest.valid()),
        BundleReaderTest.envelope(BundleReaderTest.valid().setTask(TaskKind.SEGMENTATION)),
        BundleReaderTest.envelope(BundleReaderTest.valid().clearSelfTest()));
  }

  @Test
  void mutantsOfValidBundlesOnlyThrowBundleException() {
    int n = Mutator.run(seeds(), 1, 3_000, BundleException.class, READER::read);
    assertTrue(n > 3_000);
  }

  @Test
  @Tag("slow")
  void manyMutantsOfValidBundlesOnlyThrowBundleException() {
    Mutator.run(seeds(), 2, 300_000, BundleException.class, READER::read);
  }
}
