package dev.promptedge.runtime.tflite;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SignedBundle;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.TensorT;

/**
 * Real heads from the committed bundles, and hostile variants of them made with the schema's object
 * API: read a head into a {@link ModelT}, change one thing, write it back.
 */
public final class HostileModels {

  static final String HEADS = "/dev/promptedge/runtime/bundle/heads/";

  private HostileModels() {}

  /** The head flatbuffer of a committed bundle in the test resources. */
  public static byte[] head(String bundle) throws Exception {
    try (InputStream in = HostileModels.class.getResourceAsStream(HEADS + bundle)) {
      SignedBundle signed = SignedBundle.parseFrom(in.readAllBytes());
      return PromptBundle.parseFrom(signed.getBundle()).getHead().toByteArray();
    }
  }

  /** The detection head of the demo (tensors: 0 features, 2 tokens, 3 weight, 5 logits, 7 out). */
  public static byte[] detect() throws Exception {
    return head("fashion-detect.bundle");
  }

  /** {@code head} with {@code change} applied through the object API. */
  public static byte[] changed(byte[] head, Consumer<ModelT> change) {
    ModelT model = ModelT.deserializeFromBinary(head);
    change.accept(model);
    return model.serializeToBinary();
  }

  public static TensorT tensor(ModelT model, int index) {
    return model.getSubgraphs()[0].getTensors()[index];
  }

  /** {@code head} with the little-endian int at {@code at} replaced by {@code value}. */
  public static byte[] patchedInt(byte[] head, int at, int value) {
    byte[] out = head.clone();
    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    return out;
  }

  public static void verifyHead(byte[] model) {
    ModelVerifier.verify(ByteBuffer.wrap(model), ModelLimits.head());
  }
}
