package dev.promptedge.tools.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Stores epoch statistics in a checkpoint's scalars (float64 bits) and reads them back. */
final class History {

  private static final String[] FIELDS = {"train_loss", "val_loss", "score", "seconds"};

  private History() {}

  static void write(List<EpochStats> history, Map<String, Long> scalars) {
    scalars.put("history/epochs", (long) history.size());
    for (int i = 0; i < history.size(); i++) {
      EpochStats e = history.get(i);
      double[] v = {e.trainLoss(), e.valLoss(), e.score(), e.seconds()};
      for (int f = 0; f < FIELDS.length; f++) {
        scalars.put("history/" + i + "/" + FIELDS[f], Double.doubleToRawLongBits(v[f]));
      }
    }
  }

  static List<EpochStats> read(Map<String, Long> scalars) {
    List<EpochStats> history = new ArrayList<>();
    long n = scalars.getOrDefault("history/epochs", 0L);
    for (int i = 0; i < n; i++) {
      double[] v = new double[FIELDS.length];
      for (int f = 0; f < FIELDS.length; f++) {
        v[f] = Double.longBitsToDouble(scalars.get("history/" + i + "/" + FIELDS[f]));
      }
      history.add(new EpochStats(i + 1, v[0], v[1], v[2], v[3]));
    }
    return history;
  }
}
