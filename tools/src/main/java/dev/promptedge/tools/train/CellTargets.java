package dev.promptedge.tools.train;

import dev.promptedge.runtime.image.Box;
import dev.promptedge.runtime.image.Letterbox;
import dev.promptedge.tools.data.ClassMask;
import dev.promptedge.tools.data.ClassificationSample;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.Instance;
import dev.promptedge.tools.data.SegmentationSample;

/**
 * Per-cell training targets on the backbone's patch grid, computed in model-input coordinates from
 * a sample's original-coordinate targets and the letterbox the runtime's {@code Preprocessor} used.
 * Immutable value; arrays are owned by the record.
 *
 * @param cellClass per cell (row-major over the grid) the class index, or -1: detection = not a
 *     positive cell, segmentation = ignored; for classification one entry, the image's class
 * @param boxes detection only: per cell (l, t, r, b) as log(distance / patch), else empty
 */
record CellTargets(int[] cellClass, float[] boxes) {

  /**
   * FCOS-style assignment: a cell is positive for the smallest GT box that contains its centre; a
   * box that contains no cell centre claims the cell under its own centre (if still free). The box
   * target is the log of the distances from the cell centre to the box sides in patches, distances
   * floored at a tenth of a patch.
   */
  static CellTargets detection(DetectionSample s, Letterbox lb, Grid grid) {
    int cells = grid.cells();
    int[] cls = new int[cells];
    float[] area = new float[cells];
    java.util.Arrays.fill(cls, -1);
    float[] boxes = new float[cells * 4];
    Box[] assigned = new Box[cells];
    for (Instance in : s.instances()) {
      Box b = lb.toModel(in.box());
      if (!(b.width() > 0 && b.height() > 0)) {
        continue;
      }
      boolean any = false;
      for (int cell = 0; cell < cells; cell++) {
        double cx = grid.centreX(cell);
        double cy = grid.centreY(cell);
        if (cx > b.xMin() && cx < b.xMax() && cy > b.yMin() && cy < b.yMax()) {
          any = true;
          if (cls[cell] < 0 || b.area() < area[cell]) {
            cls[cell] = in.classIndex();
            area[cell] = b.area();
            assigned[cell] = b;
          }
        }
      }
      if (!any) {
        int col = clamp((int) ((b.xMin() + b.xMax()) / 2 / grid.patch()), grid.width());
        int row = clamp((int) ((b.yMin() + b.yMax()) / 2 / grid.patch()), grid.height());
        int cell = row * grid.width() + col;
        if (cls[cell] < 0) {
          cls[cell] = in.classIndex();
          area[cell] = b.area();
          assigned[cell] = b;
        }
      }
    }
    for (int cell = 0; cell < cells; cell++) {
      Box b = assigned[cell];
      if (b != null) {
        double cx = grid.centreX(cell);
        double cy = grid.centreY(cell);
        boxes[cell * 4] = logDistance(cx - b.xMin(), grid.patch());
        boxes[cell * 4 + 1] = logDistance(cy - b.yMin(), grid.patch());
        boxes[cell * 4 + 2] = logDistance(b.xMax() - cx, grid.patch());
        boxes[cell * 4 + 3] = logDistance(b.yMax() - cy, grid.patch());
      }
    }
    return new CellTargets(cls, boxes);
  }

  /**
   * The majority class of the letterboxed mask over each cell's model pixels (each pixel's centre
   * mapped back to the original mask, nearest pixel); pixels in the letterbox padding and pixels
   * labelled 255 do not vote; a cell without votes is ignored (-1). Ties go to the lower class.
   */
  static CellTargets segmentation(SegmentationSample s, Letterbox lb, Grid grid) {
    ClassMask mask = s.mask();
    int[] cls = new int[grid.cells()];
    int[] votes = new int[256];
    for (int cell = 0; cell < cls.length; cell++) {
      java.util.Arrays.fill(votes, 0);
      int x0 = (cell % grid.width()) * grid.patch();
      int y0 = (cell / grid.width()) * grid.patch();
      for (int y = y0; y < y0 + grid.patch(); y++) {
        double oy = (y + 0.5 - lb.padY()) / lb.scale();
        if (oy < 0 || oy >= mask.height()) {
          continue;
        }
        for (int x = x0; x < x0 + grid.patch(); x++) {
          double ox = (x + 0.5 - lb.padX()) / lb.scale();
          if (ox < 0 || ox >= mask.width()) {
            continue;
          }
          votes[mask.classAt((int) ox, (int) oy)]++;
        }
      }
      int best = -1;
      for (int c = 0; c < ClassMask.IGNORE; c++) {
        if (votes[c] > 0 && (best < 0 || votes[c] > votes[best])) {
          best = c;
        }
      }
      cls[cell] = best;
    }
    return new CellTargets(cls, new float[0]);
  }

  /** The image's class. */
  static CellTargets classification(ClassificationSample s) {
    return new CellTargets(new int[] {s.classIndex()}, new float[0]);
  }

  private static float logDistance(double distance, int patch) {
    return (float) Math.log(Math.max(distance, 0.1 * patch) / patch);
  }

  private static int clamp(int v, int n) {
    return Math.max(0, Math.min(n - 1, v));
  }

  /** The patch grid of a backbone: {@code height x width} cells of {@code patch} pixels. */
  record Grid(int height, int width, int patch) {
    int cells() {
      return height * width;
    }

    double centreX(int cell) {
      return (cell % width + 0.5) * patch;
    }

    double centreY(int cell) {
      return (cell / width + 0.5) * patch;
    }
  }
}
