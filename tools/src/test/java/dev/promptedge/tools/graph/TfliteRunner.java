package dev.promptedge.tools.graph;

import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a model written by the graph builders in the real TFLite 2.6.2 interpreter through the
 * runtime's {@link SignatureRunner}, one thread. Owns the interpreter; use with try-with-resources.
 */
final class TfliteRunner implements AutoCloseable {

  private final SignatureRunner runner;

  TfliteRunner(byte[] model, String key) {
    this(model, key, false);
  }

  TfliteRunner(byte[] model, String key, boolean xnnpack) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(model.length).order(ByteOrder.nativeOrder());
    buffer.put(model).rewind();
    this.runner =
        SignatureRunner.open(buffer, key, new InterpreterConfig(1, xnnpack, Optional.empty()));
  }

  SignatureRunner signature() {
    return runner;
  }

  /** Runs a batch of {@code batch} samples and returns output {@code output}. */
  float[] run(Map<String, float[]> inputs, String output, int batch) {
    return runner.run(inputs, batch).get(output);
  }

  @Override
  public void close() {
    runner.close();
  }
}
