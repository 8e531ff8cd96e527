package dev.promptedge.runtime.engine;

import java.util.Arrays;
import org.tensorflow.lite.DataType;

/**
 * Name, type and shape of a model's input or output tensor.
 *
 * @param name tensor name in the model
 * @param type element type
 * @param shape current shape
 * @param signature declared shape, -1 where a dimension is dynamic (empty when the model has none)
 */
public record TensorSpec(String name, DataType type, int[] shape, int[] signature) {

  public TensorSpec {
    shape = shape.clone();
    signature = signature.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public int[] signature() {
    return signature.clone();
  }

  /** The shape without its first (batch) dimension. */
  public int[] sampleShape() {
    return Arrays.copyOfRange(shape, 1, shape.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t
        && name.equals(t.name)
        && type == t.type
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(signature, t.signature);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + type + " " + Arrays.toString(signature.length > 0 ? signature : shape);
  }
}
