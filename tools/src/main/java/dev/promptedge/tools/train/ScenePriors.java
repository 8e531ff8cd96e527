package dev.promptedge.tools.train;

import dev.promptedge.tools.data.ClassMask;
import dev.promptedge.tools.data.SegmentationSample;

/**
 * What a pretraining split looks like before any learning: per-cell class frequencies and per-class
 * scene frequencies. They start the heads' biases at the prior (so the first gradient goes to the
 * features, not to learning the prior) and give the numbers a trained backbone must beat. Immutable
 * value; accessors return the owned arrays, which callers must not modify.
 *
 * @param cellShare per class, the share of labelled cells whose majority class it is
 * @param sceneShare per class, the share of scenes where it covers at least one pixel
 */
record ScenePriors(double[] cellShare, double[] sceneShare) {

  /** Counts over {@code data}, whose targets are segmentation cells ({@link CellTargets}). */
  static ScenePriors of(Prepared data, int classes) {
    double[] cells = new double[classes];
    double[] scenes = new double[classes];
    long labelled = 0;
    float[][] present = present(data, classes);
    for (int i = 0; i < data.size(); i++) {
      for (int c : data.targets.get(i).cellClass()) {
        if (c >= 0) {
          cells[c]++;
          labelled++;
        }
      }
      for (int c = 0; c < classes; c++) {
        scenes[c] += present[i][c];
      }
    }
    for (int c = 0; c < classes; c++) {
      cells[c] /= Math.max(1, labelled);
      scenes[c] /= Math.max(1, data.size());
    }
    return new ScenePriors(cells, scenes);
  }

  /** Per scene, 1 for each class that covers at least one pixel of its mask. */
  static float[][] present(Prepared data, int classes) {
    float[][] y = new float[data.size()][classes];
    for (int i = 0; i < data.size(); i++) {
      ClassMask mask = ((SegmentationSample) data.samples.get(i)).mask();
      int[] h = mask.histogram();
      for (int c = 0; c < classes; c++) {
        y[i][c] = h[c] > 0 ? 1 : 0;
      }
    }
    return y;
  }

  /** Softmax bias that predicts the cell prior: log(share), shares floored at 1e-4. */
  float[] cellBias() {
    float[] b = new float[cellShare.length];
    for (int c = 0; c < b.length; c++) {
      b[c] = (float) Math.log(Math.max(1e-4, cellShare[c]));
    }
    return b;
  }

  /** Sigmoid bias that predicts the scene prior: log-odds, shares clamped to [1e-4, 1 − 1e-4]. */
  float[] sceneBias() {
    float[] b = new float[sceneShare.length];
    for (int c = 0; c < b.length; c++) {
      double p = Math.min(1 - 1e-4, Math.max(1e-4, sceneShare[c]));
      b[c] = (float) Math.log(p / (1 - p));
    }
    return b;
  }

  /** Per-cell accuracy of always predicting the most frequent class. */
  double cellAccuracy() {
    double best = 0;
    for (double s : cellShare) {
      best = Math.max(best, s);
    }
    return best;
  }

  /** Per-label accuracy of predicting each class present exactly when it is in most scenes. */
  double labelAccuracy() {
    double sum = 0;
    for (double s : sceneShare) {
      sum += Math.max(s, 1 - s);
    }
    return sum / Math.max(1, sceneShare.length);
  }
}
