package dev.promptedge.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The byte-flip sweep over the heads of the committed demo bundles, in child JVMs so that a native
 * abort is a failed case named by its offset: every byte XOR 0xFF and XOR 0x80 plus {@value
 * #MUTATIONS} seeded mutations are each refused with a {@link BundleException} or open and run to
 * finite outputs. The slow variants run {@link #SLOW_MUTATIONS} mutations with the verifier, and
 * the same cases without it, where they crash the JVM.
 */
class HeadFlipSweepTest {

  static final int MUTATIONS = 400;

  /** Mutations of the slow variants: {@code -Dpromptedge.sweep.mutations=N}, default 20,000. */
  static final int SLOW_MUTATIONS = Integer.getInteger("promptedge.sweep.mutations", 20_000);

  @TempDir Path scratch;

  static Path resource(String name) throws Exception {
    return Path.of(HeadFlipSweepTest.class.getResource("heads/" + name).toURI());
  }

  @ParameterizedTest
  @CsvSource({
    "fashion-detect.bundle, demo-vit.card.textproto",
    "fashion-segment.bundle, demo-vit.card.textproto"
  })
  void everyFlipOfARealHeadIsRefusedOrRuns(String bundle, String card) throws Exception {
    HeadSweepRunner.Result result =
        HeadSweepRunner.run("verified", resource(bundle), resource(card), MUTATIONS, scratch);
    System.out.println(bundle + " with the verifier: " + result);
    assertEquals(0, result.crashes().size(), () -> "native aborts: " + result.crashes());
    assertEquals(0, result.findings().size(), () -> "not a refusal: " + result.findings());
    int flips = HeadSweep.PATTERNS.length * HeadSweep.bundle(resource(bundle)).getHead().size();
    assertEquals(flips + MUTATIONS, result.cases());
    assertTrue(result.outcomes().getOrDefault("ok", 0) > 0, result::toString);
  }

  @ParameterizedTest
  @Tag("slow")
  @CsvSource({
    "fashion-detect.bundle, demo-vit.card.textproto",
    "fashion-segment.bundle, demo-vit.card.textproto"
  })
  void withoutTheVerifierFlipsCrashTheJvm(String bundle, String card) throws Exception {
    HeadSweepRunner.Result result =
        HeadSweepRunner.run(
            "unverified", resource(bundle), resource(card), SLOW_MUTATIONS, scratch);
    System.out.println(bundle + " without the verifier: " + result);
    assertTrue(result.crashes().size() > 0, result::toString);
  }

  @ParameterizedTest
  @Tag("slow")
  @CsvSource({
    "fashion-detect.bundle, demo-vit.card.textproto",
    "fashion-segment.bundle, demo-vit.card.textproto"
  })
  void manyMutationsOfARealHeadAreRefusedOrRun(String bundle, String card) throws Exception {
    HeadSweepRunner.Result result =
        HeadSweepRunner.run("verified", resource(bundle), resource(card), SLOW_MUTATIONS, scratch);
    System.out.println(bundle + " with the verifier, " + SLOW_MUTATIONS + " mutations: " + result);
    assertEquals(0, result.crashes().size(), () -> "native aborts: " + result.crashes());
    assertEquals(0, result.findings().size(), () -> "not a refusal: " + result.findings());
  }
}
