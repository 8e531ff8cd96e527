package dev.promptedge.tools.e2e;

import com.google.protobuf.ByteString;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.Provenance;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.tools.graph.BackboneFiles;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import dev.promptedge.tools.pack.SelfTestImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A micro backbone on disk plus bundles packed for it with known weights, for engine tests. */
public final class MicroSetup {

  public static final InterpreterConfig CONFIG =
      new InterpreterConfig(1, false, java.util.Optional.empty());
  public static final Provenance PROVENANCE =
      Provenance.newBuilder().setCommand("test").setTool("tests").build();

  public final VitSpec spec;
  public final VitWeights weights;
  public final CardFile card;
  private final Provenance provenance;

  public MicroSetup(Path dir, boolean deep) throws IOException {
    this(dir, deep, PROVENANCE);
  }

  /** A micro backbone whose card and bundles record {@code provenance}. */
  public MicroSetup(Path dir, boolean deep, Provenance provenance) throws IOException {
    this.spec = VitSpec.micro(deep);
    this.weights = VitWeights.random(spec, 7);
    this.provenance = provenance;
    this.card = BackboneFiles.write(dir, spec, weights, provenance);
  }

  /** A bundle with its head weights and prompt, as packed. */
  public record Packed(Bundle bundle, HeadWeights head, float[] prompt) {}

  public Packed pack(String name, TaskKind task, List<String> labels, long version, long seed) {
    int outputs = task == TaskKind.DETECTION ? labels.size() + 5 : labels.size();
    HeadWeights head = HeadWeights.random(outputs, spec.embedDim(), seed);
    float[] prompt = new float[spec.promptLayers() * spec.promptTokens() * spec.embedDim()];
    Random random = new Random(seed);
    for (int i = 0; i < prompt.length; i++) {
      prompt[i] = (float) (random.nextGaussian() * 0.5);
    }
    byte[] headBytes =
        HeadBuilder.build(task, head, spec.gridHeight(), spec.gridWidth(), spec.embedDim());
    Bundle bundle =
        BundlePacker.pack(
            card,
            new BundleContents(
                name,
                task,
                version,
                labels,
                Map.of("prompt", prompt),
                headBytes,
                List.of("features"),
                BundleContents.defaultPostProcessing(task, labels.size()),
                SelfTestImages.syntheticPng(spec.inputWidth(), spec.inputHeight(), seed),
                Map.of(),
                provenance),
            CONFIG);
    return new Packed(bundle, head, prompt);
  }

  public Packed detection(String name, long version, long seed) {
    return pack(name, TaskKind.DETECTION, List.of("circle", "square"), version, seed);
  }

  public Packed segmentation(String name, long version, long seed) {
    return pack(
        name, TaskKind.SEGMENTATION, List.of("background", "circle", "square"), version, seed);
  }

  public Packed classification(String name, long version, long seed) {
    return pack(name, TaskKind.CLASSIFICATION, List.of("circle", "square", "none"), version, seed);
  }

  /**
   * {@code bundle} as an unsigned {@code SignedBundle} whose first self-test value is off by more
   * than ten tolerances: a bundle every device refuses with {@code self_test_failed}.
   */
  public static byte[] failingSelfTest(Bundle bundle) {
    PromptBundle.Builder b = bundle.bundle().toBuilder();
    var expectation = b.getSelfTestBuilder().getExpectationsBuilder(0);
    var output = expectation.getOutputBuilder();
    output.setValues(0, output.getValues(0) + 10 * expectation.getTolerance() + 1);
    return SignedBundle.newBuilder()
        .setFormatVersion(1)
        .setBundle(ByteString.copyFrom(b.build().toByteArray()))
        .build()
        .toByteArray();
  }
}
