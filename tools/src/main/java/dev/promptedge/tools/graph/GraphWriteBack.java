package dev.promptedge.tools.graph;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.Precision;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.onnx.SchemaBuffers;
import dev.promptedge.runtime.store.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;

/**
 * Writes trained constants back into the backbone's {@code .tflite}: the same graph (operators,
 * tensors, signatures) through a {@link ModelT} round trip, with only the updated constants'
 * buffers replaced (a buffer shared with another tensor is split off first), and a new card beside
 * it. Stateless and thread-safe.
 */
public final class GraphWriteBack {

  private GraphWriteBack() {}

  /**
   * The model of {@code graph} with float32 constants {@code values} (by tensor name, row-major)
   * replaced; every other buffer is kept byte for byte.
   *
   * @throws IllegalArgumentException naming a constant that does not exist or a wrong length
   */
  public static byte[] withConstants(TfliteGraph graph, Map<String, float[]> values) {
    ModelT model = ModelT.deserializeFromBinary(graph.bytes());
    SubGraphT subgraph = model.getSubgraphs()[graph.subgraph()];
    List<BufferT> buffers = new ArrayList<>(Arrays.asList(model.getBuffers()));
    Map<Long, Integer> users = new HashMap<>();
    for (SubGraphT s : model.getSubgraphs()) {
      for (TensorT t : s.getTensors()) {
        users.merge(t.getBuffer(), 1, Integer::sum);
      }
    }
    for (Map.Entry<String, float[]> update : values.entrySet()) {
      TfliteGraph.Tensor tensor = graph.constantTensor(update.getKey());
      int expected = tensor.data().length / Float.BYTES;
      if (update.getValue().length != expected) {
        throw new IllegalArgumentException(
            "constant '"
                + update.getKey()
                + "' has "
                + expected
                + " values, the update has "
                + update.getValue().length);
      }
      TensorT t = subgraph.getTensors()[tensor.index()];
      BufferT buffer = SchemaBuffers.buffer(update.getValue());
      if (users.get(t.getBuffer()) > 1) {
        buffers.add(buffer); // shared with another tensor: give this one its own buffer
        t.setBuffer(buffers.size() - 1);
      } else {
        buffers.set((int) t.getBuffer(), buffer);
      }
    }
    model.setBuffers(buffers.toArray(BufferT[]::new));
    return model.serializeToBinary();
  }

  /** {@link #withConstants} with the current values of every trainable constant of {@code exec}. */
  public static byte[] withTrained(GraphExecutor exec) {
    Map<String, float[]> values = new HashMap<>();
    for (String name : exec.trainable()) {
      values.put(name, exec.parameterValues(name));
    }
    return withConstants(exec.graph(), values);
  }

  /**
   * Writes {@code model} as {@code dir/NAME.tflite} and a card {@code dir/NAME.card.textproto}
   * copied from {@code base} with the new name, the new float model (path, SHA-256, size), no
   * quantized model and no ONNX forms (they were made from the old weights) and {@code note}
   * appended to the provenance notes together with the SHA-256 of the float model it came from.
   */
  public static CardFile writeBackbone(
      Path dir, String name, CardFile base, byte[] model, String note) throws IOException {
    String fileName = name + ".tflite";
    AtomicFiles.write(dir.resolve(fileName), model);
    BackboneCard old = base.card();
    BackboneCard card =
        old.toBuilder()
            .setName(name)
            .setFloatModel(BackboneFiles.modelFile(fileName, model, Precision.FLOAT32))
            .clearQuantizedModel()
            .clearOnnxModel()
            .clearOnnxQuantizedModel()
            .setProvenance(
                old.getProvenance().toBuilder()
                    .addNotes(
                        note
                            + " (written back from float model "
                            + old.getFloatModel().getSha256()
                            + (old.hasQuantizedModel() || old.hasOnnxModel()
                                ? "; its quantized and ONNX forms were dropped: quantize and"
                                    + " export again"
                                : "")
                            + ")"))
            .build();
    return CardFile.write(dir.resolve(name + CardFile.SUFFIX), card);
  }
}
