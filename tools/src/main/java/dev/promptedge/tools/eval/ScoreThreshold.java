package dev.promptedge.tools.eval;

import dev.promptedge.runtime.head.Detection;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.Instance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the score threshold a detection bundle ships with: the one with the best F1 on a split, a
 * detection counting as right when it overlaps a not yet matched true box of its class by at least
 * the IoU threshold (each image's detections matched greedily in score order, as COCO does, with
 * pycocotools' IoU; crowd boxes are never missed, and a detection on one counts neither way).
 * Stateless.
 */
public final class ScoreThreshold {

  private ScoreThreshold() {}

  /**
   * The choice: detections scoring at least {@code threshold} are kept, giving {@code f1} from
   * {@code precision} and {@code recall}.
   */
  public record Choice(float threshold, double f1, double precision, double recall) {}

  /** One image: its true boxes and its detections (down to a low score threshold). */
  public record Image(List<GtBox> truth, List<ScoredBox> detections) {

    /**
     * The objects of {@code sample} and the runtime's {@code detections} for it; the detections'
     * class ids must follow the sample's dataset labels (a bundle trained on that dataset).
     */
    public static Image of(DetectionSample sample, List<Detection> detections) {
      List<GtBox> truth = new ArrayList<>();
      for (Instance i : sample.instances()) {
        truth.add(new GtBox(i.classIndex(), i.box(), i.crowd()));
      }
      return new Image(truth, detections.stream().map(ScoredBox::of).toList());
    }
  }

  /**
   * The threshold with the best F1 over {@code images} (ties: the higher threshold), or {@code
   * fallback} with F1 0 when nothing is detected or nothing is true.
   */
  public static Choice best(List<Image> images, double iou, float fallback) {
    List<float[]> scored = new ArrayList<>(); // {score, 1 if right}
    int truths = 0;
    for (Image image : images) {
      truths += (int) image.truth().stream().filter(t -> !t.crowd()).count();
      scored.addAll(outcomes(image, iou));
    }
    if (scored.isEmpty() || truths == 0) {
      return new Choice(fallback, 0, 0, 0);
    }
    scored.sort((a, b) -> Float.compare(b[0], a[0]));
    Choice best = new Choice(fallback, 0, 0, 0);
    int right = 0;
    for (int i = 0; i < scored.size(); i++) {
      right += (int) scored.get(i)[1];
      boolean lastOfScore = i + 1 == scored.size() || scored.get(i + 1)[0] < scored.get(i)[0];
      if (!lastOfScore) {
        continue;
      }
      int kept = i + 1;
      double f1 = 2.0 * right / (kept + truths);
      if (f1 > best.f1()) {
        best = new Choice(scored.get(i)[0], f1, (double) right / kept, (double) right / truths);
      }
    }
    return best;
  }

  /**
   * How many of {@code image}'s true (not crowd) objects its detections find, one detection per
   * object, matched as {@link #best} matches them.
   */
  public static int found(Image image, double iou) {
    int found = 0;
    for (float[] outcome : outcomes(image, iou)) {
      found += (int) outcome[1];
    }
    return found;
  }

  /** {score, 1 if right else 0} per detection that counts, highest score first. */
  private static List<float[]> outcomes(Image image, double iou) {
    List<GtBox> open = new ArrayList<>();
    List<GtBox> crowds = new ArrayList<>();
    for (GtBox t : image.truth()) {
      (t.crowd() ? crowds : open).add(t);
    }
    List<ScoredBox> ranked = new ArrayList<>(image.detections());
    ranked.sort(Comparator.comparingDouble(ScoredBox::score).reversed());
    List<float[]> outcomes = new ArrayList<>();
    for (ScoredBox d : ranked) {
      GtBox match = bestMatch(d, open, iou);
      if (match != null) {
        open.remove(match);
      } else if (bestMatch(d, crowds, iou) != null) {
        continue; // on a crowd box: neither right nor wrong
      }
      outcomes.add(new float[] {d.score(), match != null ? 1 : 0});
    }
    return outcomes;
  }

  private static GtBox bestMatch(ScoredBox d, List<GtBox> candidates, double iou) {
    GtBox best = null;
    double bestIou = iou;
    for (GtBox t : candidates) {
      double overlap = CocoParams.iou(d.box(), t.box(), t.crowd());
      if (t.classId() == d.classId() && overlap >= bestIou) {
        best = t;
        bestIou = overlap;
      }
    }
    return best;
  }
}
