package dev.promptedge.tools.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Accumulates images of ground truth and detections and computes COCO box mAP exactly as
 * pycocotools' {@code COCOeval} (bbox, area "all", maxDets 100) does: per image and category the
 * detections, sorted by score (stable) and cut to 100, are matched greedily to the unmatched ground
 * truth of highest IoU at or above each threshold, preferring regular over crowd objects; a crowd
 * object can absorb many detections, which then count neither as true nor false positives, and it
 * is never a miss. Per category and threshold the detections of all images are ranked by score
 * (ties: lower image id, then image order), precision is made monotone and read at recall 0, 0.01,
 * ..., 1 (101 points; a recall never reached reads 0). Categories without regular ground truth are
 * left out of the means. Not thread-safe; one instance per evaluation.
 */
public final class CocoDetectionEval {

  private final List<String> labels;
  private final List<List<Entry>> entries = new ArrayList<>();
  private final int[] regularGt;
  private final Set<Long> images = new HashSet<>();
  private long detections;

  /** An empty evaluation over the classes {@code labels} (class ids index this list). */
  public CocoDetectionEval(List<String> labels) {
    this.labels = List.copyOf(labels);
    for (int c = 0; c < labels.size(); c++) {
      entries.add(new ArrayList<>());
    }
    this.regularGt = new int[labels.size()];
  }

  /** One detection after matching: its score, where it came from, and per threshold the outcome. */
  private record Entry(float score, long imageId, int rank, boolean[] matched, boolean[] ignored) {}

  /**
   * Adds one image's ground truth and detections (any order; all classes together).
   *
   * @throws IllegalArgumentException when the image id was added before or a class id is not one of
   *     the labels
   */
  public void add(long imageId, List<GtBox> gt, List<ScoredBox> dt) {
    if (!images.add(imageId)) {
      throw new IllegalArgumentException("image " + imageId + " was added twice");
    }
    for (GtBox g : gt) {
      checkClass(g.classId());
    }
    for (ScoredBox d : dt) {
      checkClass(d.classId());
    }
    for (int c = 0; c < labels.size(); c++) {
      int cls = c;
      List<GtBox> g = new ArrayList<>(gt.stream().filter(b -> b.classId() == cls).toList());
      List<ScoredBox> d = new ArrayList<>(dt.stream().filter(b -> b.classId() == cls).toList());
      if (!g.isEmpty() || !d.isEmpty()) {
        evaluateImage(imageId, c, g, d);
      }
    }
  }

  private void checkClass(int classId) {
    if (classId >= labels.size()) {
      throw new IllegalArgumentException(
          "class id " + classId + " is not one of the " + labels.size() + " labels " + labels);
    }
  }

  /** pycocotools' {@code evaluateImg} for one image and category. */
  private void evaluateImage(long imageId, int c, List<GtBox> gt, List<ScoredBox> dt) {
    gt.sort(Comparator.comparing(GtBox::crowd)); // stable: regular first, crowd last
    dt.sort(Comparator.comparing(ScoredBox::score, Comparator.reverseOrder())); // stable
    List<ScoredBox> kept = dt.subList(0, Math.min(dt.size(), CocoParams.MAX_DETECTIONS));
    double[][] ious = new double[kept.size()][gt.size()];
    for (int i = 0; i < kept.size(); i++) {
      for (int j = 0; j < gt.size(); j++) {
        ious[i][j] = CocoParams.iou(kept.get(i).box(), gt.get(j).box(), gt.get(j).crowd());
      }
    }
    double[] thresholds = CocoParams.IOU_THRESHOLDS;
    int t = thresholds.length;
    boolean[][] matched = new boolean[kept.size()][t];
    boolean[][] ignored = new boolean[kept.size()][t];
    for (int ti = 0; ti < t; ti++) {
      boolean[] gtTaken = new boolean[gt.size()];
      for (int i = 0; i < kept.size(); i++) {
        double best = Math.min(thresholds[ti], 1 - 1e-10);
        int m = -1;
        for (int j = 0; j < gt.size(); j++) {
          boolean crowd = gt.get(j).crowd();
          if (gtTaken[j] && !crowd) {
            continue;
          }
          if (m > -1 && !gt.get(m).crowd() && crowd) {
            break; // matched a regular object; crowd objects come last
          }
          if (ious[i][j] < best) {
            continue;
          }
          best = ious[i][j]; // an equal IoU later in the list takes over, as in pycocotools
          m = j;
        }
        if (m > -1) {
          matched[i][ti] = true;
          ignored[i][ti] = gt.get(m).crowd();
          gtTaken[m] = true;
        }
      }
    }
    for (int i = 0; i < kept.size(); i++) {
      entries.get(c).add(new Entry(kept.get(i).score(), imageId, i, matched[i], ignored[i]));
    }
    regularGt[c] += (int) gt.stream().filter(g -> !g.crowd()).count();
    detections += kept.size();
  }

  /** The metrics of everything added so far. */
  public DetectionMetrics result() {
    int t = CocoParams.IOU_THRESHOLDS.length;
    List<DetectionMetrics.ClassAp> perClass = new ArrayList<>();
    double sum50 = 0;
    double sumAll = 0;
    int counted = 0;
    for (int c = 0; c < labels.size(); c++) {
      if (regularGt[c] == 0) {
        perClass.add(new DetectionMetrics.ClassAp(labels.get(c), 0, Double.NaN, Double.NaN));
        continue;
      }
      List<Entry> ranked = new ArrayList<>(entries.get(c));
      ranked.sort(
          Comparator.comparing(Entry::score, Comparator.reverseOrder())
              .thenComparingLong(Entry::imageId)
              .thenComparingInt(Entry::rank));
      double ap50 = 0;
      double apAll = 0;
      for (int ti = 0; ti < t; ti++) {
        double ap = averagePrecision(ranked, ti, regularGt[c]);
        if (ti == 0) {
          ap50 = ap;
        }
        apAll += ap / t;
      }
      perClass.add(new DetectionMetrics.ClassAp(labels.get(c), regularGt[c], ap50, apAll));
      sum50 += ap50;
      sumAll += apAll;
      counted++;
    }
    double map50 = counted == 0 ? Double.NaN : sum50 / counted;
    double map = counted == 0 ? Double.NaN : sumAll / counted;
    return new DetectionMetrics(map50, map, perClass, images.size(), detections);
  }

  /** pycocotools' {@code accumulate} for one category and threshold: mean of the 101 points. */
  static double averagePrecision(List<Entry> ranked, int ti, int regular) {
    int n = ranked.size();
    double[] recall = new double[n];
    double[] precision = new double[n];
    double tp = 0;
    double fp = 0;
    for (int i = 0; i < n; i++) {
      Entry e = ranked.get(i);
      if (!e.ignored()[ti]) {
        if (e.matched()[ti]) {
          tp++;
        } else {
          fp++;
        }
      }
      recall[i] = tp / regular;
      precision[i] = tp / (fp + tp + CocoParams.EPS);
    }
    for (int i = n - 1; i > 0; i--) {
      if (precision[i] > precision[i - 1]) {
        precision[i - 1] = precision[i];
      }
    }
    double sum = 0;
    int at = 0;
    for (double r : CocoParams.RECALL_THRESHOLDS) {
      while (at < n && recall[at] < r) {
        at++; // searchsorted(side='left'): first index with recall >= r
      }
      if (at == n) {
        break; // recall never reaches r: this and the remaining points read 0
      }
      sum += precision[at];
    }
    return sum / CocoParams.RECALL_THRESHOLDS.length;
  }
}
