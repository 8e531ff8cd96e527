package dev.promptedge.tools.importer;

import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import dev.promptedge.tools.graph.GraphExecutor;
import dev.promptedge.tools.graph.InterpreterParity;
import dev.promptedge.tools.graph.TfliteGraph;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Median seconds of one batch-1 forward of an imported model's {@code encode} signature on the host
 * engine and in the 2.6.2 interpreter (one thread, no XNNPACK), after one warm-up run each. For the
 * import command's report; never asserted in tests.
 *
 * @param hostSeconds median host-engine forward
 * @param interpreterSeconds median interpreter forward
 */
public record ForwardTiming(double hostSeconds, double interpreterSeconds) {

  /** Times {@code runs} forwards on each engine. */
  public static ForwardTiming measure(byte[] model, int runs) {
    TfliteGraph graph = TfliteGraph.read(model, ImportedBackbone.SIGNATURE);
    Map<String, float[]> inputs = InterpreterParity.randomInputs(graph, 1, 2);
    double[] host = new double[runs];
    try (GraphExecutor exec = GraphExecutor.builder(graph).build()) {
      exec.run(inputs, 1);
      for (int i = 0; i < runs; i++) {
        long t = System.nanoTime();
        exec.run(inputs, 1);
        host[i] = (System.nanoTime() - t) / 1e9;
      }
    }
    double[] interpreter = new double[runs];
    ByteBuffer buffer = ByteBuffer.allocateDirect(model.length).order(ByteOrder.nativeOrder());
    buffer.put(model).rewind();
    try (SignatureRunner runner =
        SignatureRunner.open(
            buffer,
            ImportedBackbone.SIGNATURE,
            new InterpreterConfig(1, false, Optional.empty()))) {
      runner.run(inputs, 1);
      for (int i = 0; i < runs; i++) {
        long t = System.nanoTime();
        runner.run(inputs, 1);
        interpreter[i] = (System.nanoTime() - t) / 1e9;
      }
    }
    return new ForwardTiming(median(host), median(interpreter));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
