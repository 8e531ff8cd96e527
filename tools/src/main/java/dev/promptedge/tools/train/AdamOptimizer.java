package dev.promptedge.tools.train;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba) over named DJL arrays, updated in place outside a gradient collector. The
 * moments live as float arrays so a checkpoint can save and restore them exactly. Not thread-safe;
 * one instance per training run.
 */
final class AdamOptimizer {

  static final float BETA1 = 0.9f;
  static final float BETA2 = 0.999f;
  static final float EPSILON = 1e-8f;

  private final Map<String, float[]> first = new LinkedHashMap<>();
  private final Map<String, float[]> second = new LinkedHashMap<>();
  private long steps;

  /** Moments start at zero for every parameter in {@code sizes} (name → element count). */
  AdamOptimizer(Map<String, Integer> sizes) {
    sizes.forEach(
        (name, size) -> {
          first.put(name, new float[size]);
          second.put(name, new float[size]);
        });
  }

  /**
   * One step on {@code params} with learning rate {@code lr(name)}: reads each gradient, updates
   * the moments and the values, then zeroes the gradient.
   */
  void step(Map<String, NDArray> params, Map<String, Float> learningRates) {
    steps++;
    double correction1 = 1 - Math.pow(BETA1, steps);
    double correction2 = 1 - Math.pow(BETA2, steps);
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray p = e.getValue();
      float lr = learningRates.get(e.getKey());
      float[] m = first.get(e.getKey());
      float[] v = second.get(e.getKey());
      float[] values = p.toFloatArray();
      try (NDArray g = p.getGradient()) {
        float[] grad = g.toFloatArray();
        for (float x : grad) {
          if (!Float.isFinite(x)) {
            throw new IllegalStateException(
                "the gradient of "
                    + e.getKey()
                    + " is not finite at step "
                    + steps
                    + "; lower the learning rate");
          }
        }
        for (int i = 0; i < values.length; i++) {
          m[i] = BETA1 * m[i] + (1 - BETA1) * grad[i];
          v[i] = BETA2 * v[i] + (1 - BETA2) * grad[i] * grad[i];
          double mHat = m[i] / correction1;
          double vHat = v[i] / correction2;
          values[i] -= (float) (lr * mHat / (Math.sqrt(vHat) + EPSILON));
        }
        g.subi(g);
      }
      p.set(values);
    }
  }

  long steps() {
    return steps;
  }

  /** The moments and step count, for a checkpoint. */
  void save(Map<String, float[]> arrays, Map<String, Long> scalars) {
    first.forEach((k, m) -> arrays.put("adam/m/" + k, m.clone()));
    second.forEach((k, v) -> arrays.put("adam/v/" + k, v.clone()));
    scalars.put("adam/steps", steps);
  }

  /** Restores what {@link #save} wrote; throws naming a missing moment. */
  void restore(Map<String, float[]> arrays, Map<String, Long> scalars, List<String> names) {
    for (String k : names) {
      first.put(k, require(arrays, "adam/m/" + k, first.get(k).length));
      second.put(k, require(arrays, "adam/v/" + k, second.get(k).length));
    }
    steps = scalars.get("adam/steps");
  }

  private static float[] require(Map<String, float[]> arrays, String key, int length) {
    float[] a = arrays.get(key);
    if (a == null || a.length != length) {
      throw new IllegalArgumentException(
          "checkpoint has no " + key + " of " + length + " values; start without --resume");
    }
    return a.clone();
  }
}
