package dev.promptedge.tools.graph;

import java.util.Random;
import org.tensorflow.lite.schema.BuiltinOptions;

/**
 * A one-operator test model: named inputs, constants, then one builtin op whose output is "out".
 */
final class OneOp {

  static final String KEY = "serving_default";

  final TfliteModelBuilder model = new TfliteModelBuilder("one op");
  private final Random random = new Random(5);

  /** A signature input of {@code shape} ({@code -1} = dynamic batch). */
  int input(String name, int... shape) {
    int index = model.activation(name, shape);
    model.input(name, index);
    return index;
  }

  /** A random float32 constant. */
  int weights(String name, int... shape) {
    int size = 1;
    for (int d : shape) {
      size *= d;
    }
    return model.constant(name, shape, Parity.gaussian(random, size, 0.5));
  }

  int ints(String name, int... values) {
    return model.vectorInt32(name, values);
  }

  /** Adds the operator with output "out" of {@code outShape} and returns the model. */
  byte[] op(int opcode, byte optionsType, Object options, int[] outShape, int... inputs) {
    int out = model.activation("out", outShape);
    model.operator(
        opcode,
        options == null ? BuiltinOptions.NONE : optionsType,
        options,
        inputs,
        new int[] {out});
    model.output("out", out);
    return model.build();
  }
}
