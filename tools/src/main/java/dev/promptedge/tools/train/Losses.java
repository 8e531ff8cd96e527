package dev.promptedge.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.promptedge.format.TaskKind;
import java.util.List;

/**
 * The training losses on head outputs, as DJL expressions autograd can differentiate. Detection
 * (FCOS-style, per cell): softmax cross-entropy of the class logits on positive cells + binary
 * cross-entropy of the objectness logit on every cell against its centre-ness (0 off the boxes), so
 * cells near a box's centre, whose boxes are best, outscore its edge cells + L1 of the four
 * log-distances on positive cells, each averaged (positives: over the positive cells).
 * Segmentation: per-cell softmax cross-entropy against the cell's class, ignored cells left out.
 * Classification: softmax cross-entropy of the pooled logits. Stateless.
 */
final class Losses {

  private Losses() {}

  /** The mean loss of {@code outputs} (the head's output for the batch) against {@code targets}. */
  static NDArray loss(
      TaskKind task, NDArray outputs, List<CellTargets> targets, int classes, NDManager scope) {
    int batch = targets.size();
    int cells = targets.get(0).cellClass().length;
    int width = (int) outputs.getShape().get(outputs.getShape().dimension() - 1);
    NDArray flat = outputs.reshape(new Shape((long) batch * cells, width));
    float[] oneHot = new float[batch * cells * classes];
    float[] valid = new float[batch * cells];
    int k = 0;
    for (CellTargets t : targets) {
      for (int c : t.cellClass()) {
        if (c >= classes) {
          throw new IllegalArgumentException(
              "target class " + c + " but the head has " + classes + " classes");
        }
        if (c >= 0) {
          oneHot[k * classes + c] = 1;
          valid[k] = 1;
        }
        k++;
      }
    }
    NDArray y = scope.create(oneHot, new Shape((long) batch * cells, classes));
    NDArray m = scope.create(valid, new Shape((long) batch * cells));
    NDArray count = m.sum().maximum(1f);
    NDArray logits = task == TaskKind.DETECTION ? flat.get(new NDIndex(":, :{}", classes)) : flat;
    NDArray ce = logits.logSoftmax(1).mul(y).sum(new int[] {1}).neg();
    NDArray classLoss = ce.mul(m).sum().div(count);
    if (task != TaskKind.DETECTION) {
      return classLoss;
    }
    float[] boxes = new float[batch * cells * 4];
    int offset = 0;
    for (CellTargets t : targets) {
      System.arraycopy(t.boxes(), 0, boxes, offset, t.boxes().length);
      offset += t.boxes().length;
    }
    float[] centred = new float[batch * cells];
    for (int cell = 0; cell < centred.length; cell++) {
      centred[cell] = valid[cell] * centreness(boxes, cell * 4);
    }
    NDArray objectness = flat.get(new NDIndex(":, {}", classes));
    NDArray objectLoss =
        binaryCrossEntropy(objectness, scope.create(centred, new Shape((long) batch * cells)))
            .mean();
    NDArray boxTarget = scope.create(boxes, new Shape((long) batch * cells, 4));
    NDArray box = flat.get(new NDIndex(":, {}:{}", classes + 1, classes + 5));
    NDArray boxLoss = box.sub(boxTarget).abs().sum(new int[] {1}).mul(m).sum().div(count);
    return classLoss.add(objectLoss).add(boxLoss);
  }

  /**
   * FCOS centre-ness of a positive cell from its log-distance targets (l, t, r, b) at {@code at}:
   * sqrt(min(l, r) / max(l, r) · min(t, b) / max(t, b)), 1 at the box centre, towards 0 at its
   * sides.
   */
  static float centreness(float[] logDistances, int at) {
    double l = Math.exp(logDistances[at]);
    double t = Math.exp(logDistances[at + 1]);
    double r = Math.exp(logDistances[at + 2]);
    double b = Math.exp(logDistances[at + 3]);
    return (float) Math.sqrt(Math.min(l, r) / Math.max(l, r) * (Math.min(t, b) / Math.max(t, b)));
  }

  /** Numerically stable BCE with logits: max(x, 0) − x·z + log(1 + exp(−|x|)). */
  static NDArray binaryCrossEntropy(NDArray logits, NDArray targets) {
    return logits.maximum(0f).sub(logits.mul(targets)).add(logits.abs().neg().exp().add(1f).log());
  }
}
