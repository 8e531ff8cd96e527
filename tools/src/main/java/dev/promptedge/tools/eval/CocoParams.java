package dev.promptedge.tools.eval;

/**
 * The COCO evaluation constants, computed as pycocotools computes them ({@code np.linspace}: start
 * plus index times step, the last value set to the end point) so that thresholds compare exactly as
 * there.
 */
final class CocoParams {

  /** IoU thresholds 0.50, 0.55, ..., 0.95. */
  static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);

  /** Recall points 0.00, 0.01, ..., 1.00 of the 101-point interpolated precision. */
  static final double[] RECALL_THRESHOLDS = linspace(0.0, 1.0, 101);

  /** Most detections per image and category (COCO's {@code maxDets} 100). */
  static final int MAX_DETECTIONS = 100;

  /** numpy's {@code np.spacing(1)}: added to the precision denominator. */
  static final double EPS = Math.ulp(1.0);

  private CocoParams() {}

  static double[] linspace(double start, double stop, int num) {
    double step = (stop - start) / (num - 1);
    double[] y = new double[num];
    for (int i = 0; i < num; i++) {
      y[i] = i * step + start;
    }
    y[num - 1] = stop;
    return y;
  }

  /**
   * IoU of two boxes as pycocotools' {@code bbIou} computes it, in double; for a crowd ground truth
   * the union is the detection's area alone.
   */
  static double iou(
      dev.promptedge.runtime.image.Box dt, dev.promptedge.runtime.image.Box gt, boolean crowd) {
    double dx = dt.xMin();
    double dy = dt.yMin();
    double dw = (double) dt.xMax() - dt.xMin();
    double dh = (double) dt.yMax() - dt.yMin();
    double gx = gt.xMin();
    double gy = gt.yMin();
    double gw = (double) gt.xMax() - gt.xMin();
    double gh = (double) gt.yMax() - gt.yMin();
    double w = Math.min(dx + dw, gx + gw) - Math.max(dx, gx);
    if (w <= 0) {
      return 0;
    }
    double h = Math.min(dy + dh, gy + gh) - Math.max(dy, gy);
    if (h <= 0) {
      return 0;
    }
    double inter = w * h;
    double union = crowd ? dw * dh : dw * dh + gw * gh - inter;
    return inter / union;
  }
}
