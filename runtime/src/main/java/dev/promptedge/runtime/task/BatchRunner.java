package dev.promptedge.runtime.task;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.runtime.bundle.HeadModel;
import dev.promptedge.runtime.image.Letterbox;
import dev.promptedge.runtime.image.Preprocessor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inference path, shared by requests, self-tests and host-side evaluation: letterbox and
 * normalize each image, one backbone call for the whole batch with every prompt input filled per
 * sample from that sample's bundle, one head call per bundle in the batch on the feature outputs it
 * reads, then post-processing back to original coordinates.
 */
final class BatchRunner {

  private final Backbone backbone;
  private final Preprocessor preprocessor;

  BatchRunner(Backbone backbone) {
    this.backbone = backbone;
    this.preprocessor = Preprocessor.forCard(backbone.card().card());
  }

  /** Runs {@code requests[i]} with {@code bundles[i]}; the caller holds the bundles' references. */
  List<InferenceResult> run(List<TaskRequest> requests, List<ResidentBundle> bundles) {
    int n = requests.size();
    int pixelSize = backbone.pixelSize();

    long start = System.nanoTime();
    float[] pixels = new float[n * pixelSize];
    Letterbox[] letterboxes = new Letterbox[n];
    for (int i = 0; i < n; i++) {
      TaskRequest request = requests.get(i);
      letterboxes[i] =
          preprocessor.prepareInto(
              request.image(),
              request.sourceWidth(),
              request.sourceHeight(),
              pixels,
              i * pixelSize);
    }
    Map<String, float[]> prompts = new LinkedHashMap<>();
    for (PromptSlot slot : backbone.promptInputs()) {
      int size = slot.size();
      float[] batch = new float[n * size];
      for (int i = 0; i < n; i++) {
        System.arraycopy(bundles.get(i).prompt(slot.name()), 0, batch, i * size, size);
      }
      prompts.put(slot.name(), batch);
    }
    long prepared = System.nanoTime();

    Map<String, float[]> features = backbone.encode(pixels, prompts, n);
    long encoded = System.nanoTime();

    float[][] outputs = new float[n][];
    Map<ResidentBundle, List<Integer>> groups = new IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      groups.computeIfAbsent(bundles.get(i), b -> new ArrayList<>()).add(i);
    }
    for (Map.Entry<ResidentBundle, List<Integer>> group : groups.entrySet()) {
      List<Integer> members = group.getValue();
      HeadModel head = group.getKey().head();
      Map<String, float[]> gathered = new LinkedHashMap<>();
      for (String name : head.inputNames()) {
        float[] all = features.get(name);
        int size = all.length / n;
        float[] mine = new float[members.size() * size];
        for (int k = 0; k < members.size(); k++) {
          System.arraycopy(all, members.get(k) * size, mine, k * size, size);
        }
        gathered.put(name, mine);
      }
      float[] out = head.run(gathered, members.size());
      int outSize = out.length / members.size();
      for (int k = 0; k < members.size(); k++) {
        float[] one = new float[outSize];
        System.arraycopy(out, k * outSize, one, 0, outSize);
        outputs[members.get(k)] = one;
      }
    }
    long headed = System.nanoTime();

    List<InferenceResult> results = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long before = System.nanoTime();
      ResidentBundle bundle = bundles.get(i);
      TaskRequest request = requests.get(i);
      TaskOutput output = bundle.postProcessor().decode(outputs[i], letterboxes[i]);
      long after = System.nanoTime();
      results.add(
          new InferenceResult(
              bundle.name(),
              bundle.bundle().version(),
              bundle.bundle().bundle().getTask(),
              request.sourceWidth(),
              request.sourceHeight(),
              output,
              outputs[i],
              new StageTimings(
                  micros(prepared - start) / n,
                  micros(encoded - prepared),
                  micros(headed - encoded) / n,
                  micros(after - before))));
    }
    return results;
  }

  private static long micros(long nanos) {
    return nanos / 1_000;
  }
}
