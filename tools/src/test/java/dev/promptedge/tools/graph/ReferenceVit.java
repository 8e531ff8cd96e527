package dev.promptedge.tools.graph;

/**
 * The backbone's math in plain Java loops with double accumulation, written from the definition
 * rather than from {@link VitBuilder}, to check the TFLite graph against. Slow; for micro specs.
 *
 * <p>Definition: patch embedding (stride-p convolution) plus position embedding; tokens are the P
 * prompt tokens of layer 0 followed by the N patch tokens (row-major over the grid); deep VPT
 * replaces the first P tokens with prompt layer l before block l &gt; 0; each block is x +=
 * MHSA(LN1 x), x += FC2(GELU(FC1(LN2 x))) with GELU(x) = x · sigmoid(1.702 x); then a final LN and
 * the patch tokens reshaped to the grid.
 */
public final class ReferenceVit {

  private ReferenceVit() {}

  /**
   * Encodes {@code batch} images: {@code pixels} [B, H, W, 3] and {@code prompt} [B, L, P, D]
   * (row-major) give features [B, Hp, Wp, D].
   */
  public static float[] encode(
      VitSpec spec, VitWeights weights, float[] pixels, float[] prompt, int batch) {
    weights.requireFits(spec);
    int h = spec.inputHeight();
    int w = spec.inputWidth();
    int d = spec.embedDim();
    int p = spec.promptTokens();
    int n = spec.patchTokens();
    int layers = spec.promptLayers();
    requireLength("pixels", pixels, batch * h * w * 3);
    requireLength("prompt", prompt, batch * layers * p * d);
    float[] out = new float[batch * n * d];
    for (int b = 0; b < batch; b++) {
      double[][] x = new double[spec.tokens()][];
      double[][] patches = patchEmbedding(spec, weights, pixels, b);
      for (int t = 0; t < n; t++) {
        x[p + t] = patches[t];
      }
      for (int l = 0; l < spec.depth(); l++) {
        if (l == 0 || spec.deep()) {
          for (int t = 0; t < p; t++) {
            x[t] = new double[d];
            for (int c = 0; c < d; c++) {
              x[t][c] = prompt[(((b * layers) + l) * p + t) * d + c];
            }
          }
        }
        block(spec, weights.blocks().get(l), x);
      }
      for (int t = 0; t < n; t++) {
        double[] y =
            layerNorm(x[p + t], weights.finalGamma(), weights.finalBeta(), spec.layerNormEpsilon());
        for (int c = 0; c < d; c++) {
          out[(b * n + t) * d + c] = (float) y[c];
        }
      }
    }
    return out;
  }

  /** GELU as the backbone defines it: x · sigmoid(1.702 x). */
  public static double gelu(double x) {
    return x / (1 + Math.exp(-1.702 * x));
  }

  private static double[][] patchEmbedding(VitSpec spec, VitWeights weights, float[] px, int b) {
    int ps = spec.patchSize();
    int h = spec.inputHeight();
    int w = spec.inputWidth();
    int d = spec.embedDim();
    float[] kernel = weights.patchKernel();
    float[] bias = weights.patchBias();
    float[] position = weights.positionEmbedding();
    double[][] tokens = new double[spec.patchTokens()][d];
    for (int gy = 0; gy < spec.gridHeight(); gy++) {
      for (int gx = 0; gx < spec.gridWidth(); gx++) {
        int t = gy * spec.gridWidth() + gx;
        for (int o = 0; o < d; o++) {
          double sum = bias[o];
          for (int i = 0; i < ps; i++) {
            for (int j = 0; j < ps; j++) {
              for (int c = 0; c < 3; c++) {
                double pixel = px[((b * h + gy * ps + i) * w + gx * ps + j) * 3 + c];
                sum += kernel[((o * ps + i) * ps + j) * 3 + c] * pixel;
              }
            }
          }
          tokens[t][o] = sum + position[t * d + o];
        }
      }
    }
    return tokens;
  }

  private static void block(VitSpec spec, VitBlockWeights w, double[][] x) {
    int tokens = x.length;
    int d = spec.embedDim();
    int dh = spec.headDim();
    float eps = spec.layerNormEpsilon();
    float[] queryWeight = w.queryWeight();
    float[] keyWeight = w.keyWeight();
    float[] valueWeight = w.valueWeight();
    double[][] q = new double[tokens][];
    double[][] k = new double[tokens][];
    double[][] v = new double[tokens][];
    for (int t = 0; t < tokens; t++) {
      double[] normed = layerNorm(x[t], w.ln1Gamma(), w.ln1Beta(), eps);
      q[t] = linear(normed, queryWeight, w.queryBias());
      k[t] = linear(normed, keyWeight, w.keyBias());
      v[t] = linear(normed, valueWeight, w.valueBias());
    }
    double[][] context = new double[tokens][d];
    for (int head = 0; head < spec.heads(); head++) {
      int offset = head * dh; // head h owns channels [h·dh, (h+1)·dh)
      for (int i = 0; i < tokens; i++) {
        double[] scores = new double[tokens];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < tokens; j++) {
          double dot = 0;
          for (int c = 0; c < dh; c++) {
            dot += q[i][offset + c] * k[j][offset + c];
          }
          scores[j] = dot / Math.sqrt(dh);
          max = Math.max(max, scores[j]);
        }
        double total = 0;
        for (int j = 0; j < tokens; j++) {
          scores[j] = Math.exp(scores[j] - max);
          total += scores[j];
        }
        for (int j = 0; j < tokens; j++) {
          for (int c = 0; c < dh; c++) {
            context[i][offset + c] += scores[j] / total * v[j][offset + c];
          }
        }
      }
    }
    float[] outWeight = w.outWeight();
    float[] fc1Weight = w.fc1Weight();
    float[] fc2Weight = w.fc2Weight();
    for (int t = 0; t < tokens; t++) {
      double[] projected = linear(context[t], outWeight, w.outBias());
      for (int c = 0; c < d; c++) {
        x[t][c] += projected[c];
      }
      double[] normed = layerNorm(x[t], w.ln2Gamma(), w.ln2Beta(), eps);
      double[] hidden = linear(normed, fc1Weight, w.fc1Bias());
      for (int c = 0; c < hidden.length; c++) {
        hidden[c] = gelu(hidden[c]);
      }
      double[] mlp = linear(hidden, fc2Weight, w.fc2Bias());
      for (int c = 0; c < d; c++) {
        x[t][c] += mlp[c];
      }
    }
  }

  /** y = W x + b with W in [out, in] layout. */
  static double[] linear(double[] x, float[] weight, float[] bias) {
    double[] y = new double[bias.length];
    for (int o = 0; o < y.length; o++) {
      double sum = bias[o];
      for (int i = 0; i < x.length; i++) {
        sum += weight[o * x.length + i] * x[i];
      }
      y[o] = sum;
    }
    return y;
  }

  static double[] layerNorm(double[] x, float[] gamma, float[] beta, float epsilon) {
    double mean = 0;
    for (double value : x) {
      mean += value;
    }
    mean /= x.length;
    double variance = 0;
    for (double value : x) {
      variance += (value - mean) * (value - mean);
    }
    variance /= x.length;
    double inverse = 1 / Math.sqrt(variance + epsilon);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (x[i] - mean) * inverse * gamma[i] + beta[i];
    }
    return y;
  }

  static void requireLength(String name, float[] values, int expected) {
    if (values.length != expected) {
      throw new IllegalArgumentException(
          name + " has " + values.length + " values, expected " + expected);
    }
  }
}
