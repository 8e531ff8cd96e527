package dev.promptedge.tools.graph;

import java.util.Map;
import java.util.Random;

/** Test shorthands over {@link InterpreterParity}. */
final class Parity {

  static final double TOLERANCE = InterpreterParity.TOLERANCE;

  private Parity() {}

  static InterpreterParity.Result compare(
      byte[] model, String signature, Map<String, float[]> inputs, int batch) {
    return InterpreterParity.compare(model, signature, inputs, batch);
  }

  static Map<String, float[]> randomInputs(byte[] model, String signature, int batch, long seed) {
    return InterpreterParity.randomInputs(TfliteGraph.read(model, signature), batch, seed);
  }

  static float[] gaussian(Random random, int size, double std) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (random.nextGaussian() * std);
    }
    return values;
  }
}
