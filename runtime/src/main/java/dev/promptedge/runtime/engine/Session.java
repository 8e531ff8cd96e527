package dev.promptedge.runtime.engine;

import java.util.List;
import java.util.Map;

/**
 * One model loaded in one engine, bound to one signature, run with float32 arrays whose first
 * dimension is the batch. Not thread-safe: its owner serializes calls. Close it to free the
 * engine's native memory; {@code close()} is idempotent.
 */
public interface Session extends AutoCloseable {

  /** The signature's input names, in the model's order. */
  List<String> inputNames();

  /** The signature's output names, in the model's order. */
  List<String> outputNames();

  /** Description of an input as declared in the model (-1 in the signature where dynamic). */
  TensorSpec input(String name);

  /** Description of an output as declared in the model (-1 in the signature where dynamic). */
  TensorSpec output(String name);

  /**
   * Runs the signature on a batch: each input array holds {@code batch} samples back to back, and
   * the result maps every output name to its batch of values.
   */
  Map<String, float[]> run(Map<String, float[]> inputs, int batch);

  @Override
  void close();
}
