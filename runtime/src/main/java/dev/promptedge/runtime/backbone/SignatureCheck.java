package dev.promptedge.runtime.backbone;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.runtime.engine.Session;
import dev.promptedge.runtime.engine.TensorSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.tensorflow.lite.DataType;

/**
 * Checks a model's signature against its card: exactly the pixels and the card's prompt inputs as
 * inputs, every feature output present, and every tensor float32 with the card's per-sample shape.
 * One {@link BackboneException} per problem, naming the tensor and both shapes. Stateless.
 */
final class SignatureCheck {

  private SignatureCheck() {}

  /** Throws naming the first tensor where the model and its card disagree. */
  static void check(CardFile cardFile, Session runner, Path path) {
    BackboneCard card = cardFile.card();
    String signature = "backbone " + path + ": signature '" + card.getSignature() + "'";
    Set<String> expectedInputs = new LinkedHashSet<>();
    expectedInputs.add(Backbone.PIXELS);
    cardFile.promptInputs().forEach(p -> expectedInputs.add(p.name()));
    for (String name : expectedInputs) {
      if (!runner.inputNames().contains(name)) {
        throw new BackboneException(
            signature
                + " has no input '"
                + name
                + "' but its card "
                + cardFile.path()
                + " lists it (the signature takes "
                + runner.inputNames()
                + "): the model and its card were not built together; rebuild or re-import both");
      }
    }
    for (String name : runner.inputNames()) {
      if (!expectedInputs.contains(name)) {
        throw new BackboneException(
            signature
                + " takes input '"
                + name
                + "' that its card "
                + cardFile.path()
                + " does not list (the card lists "
                + expectedInputs
                + "): the model and its card were not built together; rebuild or re-import both");
      }
    }
    for (FeatureMap f : cardFile.featureOutputs()) {
      if (!runner.outputNames().contains(f.name())) {
        throw new BackboneException(
            signature
                + " has no output '"
                + f.name()
                + "' but its card "
                + cardFile.path()
                + " lists it as a feature output (the signature gives "
                + runner.outputNames()
                + "): the model and its card were not built together; rebuild or re-import both");
      }
    }
    expect(path, runner.input(Backbone.PIXELS), card.getInputHeight(), card.getInputWidth(), 3);
    for (PromptSlot p : cardFile.promptInputs()) {
      expect(
          path, runner.input(p.name()), p.shape().stream().mapToInt(Integer::intValue).toArray());
    }
    for (FeatureMap f : cardFile.featureOutputs()) {
      expect(path, runner.output(f.name()), f.sampleShape());
    }
  }

  private static void expect(Path path, TensorSpec spec, int... sampleShape) {
    if (spec.type() != DataType.FLOAT32 || !Arrays.equals(spec.sampleShape(), sampleShape)) {
      int[] declared = spec.signature().length > 0 ? spec.signature() : spec.shape();
      String batch = declared.length > 0 && declared[0] == -1 ? "B" : String.valueOf(declared[0]);
      throw new BackboneException(
          "backbone "
              + path
              + ": tensor '"
              + spec.name()
              + "' is "
              + spec.type()
              + " "
              + shape(batch, spec.sampleShape())
              + " but the card says FLOAT32 "
              + shape("B", sampleShape)
              + ": the model and its card were not built together; rebuild both");
    }
  }

  /** {@code [B, 1, 4, 32]}: a batch label followed by a sample shape. */
  private static String shape(String batch, int[] sampleShape) {
    StringBuilder text = new StringBuilder("[").append(batch);
    for (int d : sampleShape) {
      text.append(", ").append(d);
    }
    return text.append(']').toString();
  }
}
