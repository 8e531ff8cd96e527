package dev.promptedge.tools.onnx;

import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;

/** Reads quantization facts from int8 TFLite test models. */
final class QdqModels {

  private QdqModels() {}

  /**
   * The scale of the int8 tensor that signature output {@code output} dequantizes (the step of the
   * int8 model's float output).
   */
  static double outputScale(byte[] tflite, String signature, String output) {
    ModelT model = ModelT.deserializeFromBinary(tflite);
    for (SignatureDefT def : model.getSignatureDefs()) {
      if (!def.getSignatureKey().equals(signature)) {
        continue;
      }
      SubGraphT graph = model.getSubgraphs()[(int) def.getSubgraphIndex()];
      for (TensorMapT map : def.getOutputs()) {
        if (!map.getName().equals(output)) {
          continue;
        }
        for (OperatorT op : graph.getOperators()) {
          if (op.getOutputs()[0] == map.getTensorIndex()) {
            TensorT input = graph.getTensors()[op.getInputs()[0]];
            return input.getQuantization().getScale()[0];
          }
        }
      }
    }
    throw new IllegalArgumentException("no dequantized output " + output);
  }
}
