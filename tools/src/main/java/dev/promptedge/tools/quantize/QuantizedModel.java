package dev.promptedge.tools.quantize;

import dev.promptedge.format.Precision;
import java.util.List;

/**
 * A quantized TFLite model and what was done to it: its bytes, its precision, the ops that run int8
 * and the ops that stay float32 (with the reason). Immutable.
 *
 * @param bytes the flatbuffer
 * @param precision {@link Precision#INT8_DYNAMIC} or {@link Precision#INT8_FULL}
 * @param int8Ops one line per op that runs int8 (kind, output tensor, how)
 * @param floatOps one line per op that stays float32 (kind, output tensor, why)
 */
public record QuantizedModel(
    byte[] bytes, Precision precision, List<String> int8Ops, List<String> floatOps) {

  public QuantizedModel {
    bytes = bytes.clone();
    int8Ops = List.copyOf(int8Ops);
    floatOps = List.copyOf(floatOps);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** File size in bytes. */
  public int size() {
    return bytes.length;
  }
}
