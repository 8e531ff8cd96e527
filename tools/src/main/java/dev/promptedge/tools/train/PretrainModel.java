package dev.promptedge.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.promptedge.format.TaskKind;
import dev.promptedge.tools.graph.GraphExecutor;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.VitBuilder;
import dev.promptedge.tools.pack.SeededContents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The backbone with its two pretraining heads (per-cell classes, scene labels): forward, the two
 * losses, validation. Borrows the executors (the caller closes them). Not thread-safe.
 */
final class PretrainModel {

  private final GraphExecutor backbone;
  private final GraphExecutor cellHead;
  private final GraphExecutor sceneHead;
  private final int classes;

  PretrainModel(
      GraphExecutor backbone, GraphExecutor cellHead, GraphExecutor sceneHead, int classes) {
    this.backbone = backbone;
    this.cellHead = cellHead;
    this.sceneHead = sceneHead;
    this.classes = classes;
  }

  /** Cell logits [B, Hp, Wp, C] and scene logits [B, C] of samples {@code idx}. */
  NDArray[] forward(NDManager scope, Prepared data, int[] idx) {
    return forward(scope, data, idx, new boolean[idx.length]);
  }

  /** As {@link #forward(NDManager, Prepared, int[])}, mirroring sample i when {@code flip[i]}. */
  NDArray[] forward(NDManager scope, Prepared data, int[] idx, boolean[] flip) {
    Shape pixelShape = backbone.batchShape(VitBuilder.PIXELS, idx.length);
    float[] batch = data.batchPixels(idx);
    int h = (int) pixelShape.get(1);
    int w = (int) pixelShape.get(2);
    int channels = (int) pixelShape.get(3);
    for (int i = 0; i < idx.length; i++) {
      if (flip[i]) {
        mirror(batch, i * h * w * channels, h, w * channels, channels);
      }
    }
    NDArray pixels = scope.create(batch, pixelShape);
    // Prompt-like noise, N(0, 0.02²) as VPT initializes prompts, seeded by the batch's first index.
    Shape shape = backbone.batchShape(VitBuilder.PROMPT, idx.length);
    NDArray prompt =
        scope.create(SeededContents.prompt(Math.toIntExact(shape.size()), idx[0] * 31L + 7), shape);
    NDArray features =
        backbone
            .forward(scope, Map.of(VitBuilder.PIXELS, pixels, VitBuilder.PROMPT, prompt))
            .get(VitBuilder.FEATURES);
    Map<String, NDArray> in = Map.of(HeadBuilder.FEATURES, features);
    return new NDArray[] {
      cellHead.forward(scope, in).get(HeadBuilder.OUTPUTS),
      sceneHead.forward(scope, in).get(HeadBuilder.OUTPUTS)
    };
  }

  /** Mean per-cell softmax cross-entropy over the labelled cells. */
  NDArray cellLoss(NDArray cellLogits, Prepared data, int[] idx, NDManager scope) {
    return cellLoss(cellLogits, data, idx, new boolean[idx.length], scope);
  }

  /** As {@link #cellLoss(NDArray, Prepared, int[], NDManager)} with mirrored samples' cells. */
  NDArray cellLoss(NDArray cellLogits, Prepared data, int[] idx, boolean[] flip, NDManager scope) {
    List<CellTargets> targets = new ArrayList<>(data.batchTargets(idx));
    int gw = (int) cellLogits.getShape().get(2);
    for (int i = 0; i < idx.length; i++) {
      if (flip[i]) {
        int[] cells = targets.get(i).cellClass().clone();
        mirrorInts(cells, gw);
        targets.set(i, new CellTargets(cells, new float[0]));
      }
    }
    return Losses.loss(TaskKind.SEGMENTATION, cellLogits, targets, classes, scope);
  }

  /** Mirrors rows of {@code rowLength} values in place, moving groups of {@code group}. */
  static void mirror(float[] a, int offset, int rows, int rowLength, int group) {
    for (int r = 0; r < rows; r++) {
      int row = offset + r * rowLength;
      for (int left = 0, right = rowLength - group; left < right; left += group, right -= group) {
        for (int k = 0; k < group; k++) {
          float t = a[row + left + k];
          a[row + left + k] = a[row + right + k];
          a[row + right + k] = t;
        }
      }
    }
  }

  private static void mirrorInts(int[] cells, int width) {
    for (int row = 0; row < cells.length; row += width) {
      for (int l = row, r = row + width - 1; l < r; l++, r--) {
        int t = cells[l];
        cells[l] = cells[r];
        cells[r] = t;
      }
    }
  }

  /** Mean binary cross-entropy of the scene logits against {@code labels} rows {@code idx}. */
  NDArray sceneLoss(NDArray sceneLogits, float[][] labels, int[] idx) {
    NDArray y = sceneLogits.getManager().create(rows(labels, idx), new Shape(idx.length, classes));
    return Losses.binaryCrossEntropy(sceneLogits, y).mean();
  }

  /** Val cell CE, cell accuracy, scene BCE, per-label accuracy at 0.5, exact-set share. */
  double[] validate(Prepared va, float[][] labels, int batch) {
    double cellLoss = 0;
    double sceneLoss = 0;
    long cells = 0;
    long cellsRight = 0;
    long labelsRight = 0;
    long exact = 0;
    for (int from = 0; from < va.size(); from += batch) {
      int n = Math.min(batch, va.size() - from);
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = from + i;
      }
      try (NDManager scope = backbone.manager().newSubManager()) {
        NDArray[] out = forward(scope, va, idx);
        cellLoss += cellLoss(out[0], va, idx, scope).getFloat() * n;
        sceneLoss += sceneLoss(out[1], labels, idx).getFloat() * n;
        float[] cellOut = out[0].toFloatArray();
        List<CellTargets> targets = va.batchTargets(idx);
        int k = 0;
        for (CellTargets t : targets) {
          for (int c : t.cellClass()) {
            if (c >= 0) {
              cells++;
              cellsRight += argmax(cellOut, k * classes, classes) == c ? 1 : 0;
            }
            k++;
          }
        }
        float[] sceneOut = out[1].toFloatArray();
        for (int i = 0; i < n; i++) {
          boolean all = true;
          for (int c = 0; c < classes; c++) {
            boolean right = (sceneOut[i * classes + c] > 0) == (labels[idx[i]][c] > 0.5f);
            labelsRight += right ? 1 : 0;
            all &= right;
          }
          exact += all ? 1 : 0;
        }
      }
    }
    int n = Math.max(1, va.size());
    return new double[] {
      cellLoss / n,
      (double) cellsRight / Math.max(1, cells),
      sceneLoss / n,
      (double) labelsRight / ((long) n * classes),
      (double) exact / n
    };
  }

  private static int argmax(float[] a, int from, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (a[from + i] > a[from + best]) {
        best = i;
      }
    }
    return best;
  }

  private static float[] rows(float[][] y, int[] idx) {
    int c = y[0].length;
    float[] out = new float[idx.length * c];
    for (int i = 0; i < idx.length; i++) {
      System.arraycopy(y[idx[i]], 0, out, i * c, c);
    }
    return out;
  }
}
