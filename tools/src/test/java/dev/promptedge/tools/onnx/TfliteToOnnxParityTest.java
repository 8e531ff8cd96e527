package dev.promptedge.tools.onnx;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.onnx.TfliteToOnnx;
import dev.promptedge.tools.graph.CnnBuilder;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.graph.VitBuilder;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The converted backbones and heads give TFLite's outputs in ONNX Runtime, at batch 1 and 3. */
class TfliteToOnnxParityTest {

  @ParameterizedTest(name = "deep={0} batch={1}")
  @CsvSource({"false, 1", "false, 3", "true, 1", "true, 3"})
  void microVit(boolean deep, int batch) throws Exception {
    VitSpec spec = VitSpec.micro(deep);
    byte[] model = VitBuilder.build(spec, VitWeights.random(spec, 7));
    report("micro ViT deep=" + deep, batch, Parity.check(model, VitBuilder.SIGNATURE, batch, 11));
  }

  @ParameterizedTest(name = "batch={0}")
  @CsvSource({"1", "3"})
  void microCnn(int batch) throws Exception {
    byte[] model = CnnBuilder.build(4, 5);
    report("micro CNN", batch, Parity.check(model, VitBuilder.SIGNATURE, batch, 13));
  }

  @ParameterizedTest(name = "{0} batch={1}")
  @CsvSource({
    "DETECTION, 1",
    "DETECTION, 3",
    "SEGMENTATION, 1",
    "SEGMENTATION, 3",
    "CLASSIFICATION, 1",
    "CLASSIFICATION, 3"
  })
  void head(TaskKind kind, int batch) throws Exception {
    int outputs = kind == TaskKind.DETECTION ? 3 + HeadBuilder.DETECTION_EXTRA : 4;
    byte[] model = HeadBuilder.build(kind, HeadWeights.random(outputs, 32, 3), 4, 4, 32);
    report(kind + " head", batch, Parity.check(model, HeadBuilder.SIGNATURE, batch, 17));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"demo-vit", "demo-vit-deep"})
  void committedDemoBackbones(String name) throws Exception {
    byte[] model = Files.readAllBytes(Path.of("..", "models", "demo", name + ".tflite"));
    int onnxBytes = TfliteToOnnx.convert(model, VitBuilder.SIGNATURE).getSerializedSize();
    System.out.printf(
        "%s float: %,d bytes TFLite, %,d bytes ONNX%n", name, model.length, onnxBytes);
    for (int batch : new int[] {1, 3}) {
      report(name + " float", batch, Parity.check(model, VitBuilder.SIGNATURE, batch, 19));
    }
  }

  private static void report(String what, int batch, double error) {
    System.out.printf("%s batch=%d: max abs error %.3g of the output scale%n", what, batch, error);
  }
}
