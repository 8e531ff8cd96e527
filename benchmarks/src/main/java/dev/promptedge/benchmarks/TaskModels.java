package dev.promptedge.benchmarks;

import dev.promptedge.runtime.tflite.TfliteNative;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.lite.Interpreter;

/**
 * The memory baseline without bundles: {@code java ... TaskModels ROUNDS MODEL.tflite...} maps
 * every baked task model, gives each its own interpreter (2 threads, XNNPACK), runs each {@code
 * ROUNDS} times, prints {@code ready} and waits until its standard input closes.
 */
public final class TaskModels {

  private TaskModels() {}

  /** Loads and runs the models, then holds them until standard input closes. */
  public static void main(String[] args) throws IOException {
    TfliteNative.load(Optional.empty());
    int rounds = Integer.parseInt(args[0]);
    List<Interpreter> interpreters = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      interpreters.add(
          new Interpreter(Engines.map(Path.of(args[i])), Engines.options(Workbench.DAEMON)));
    }
    for (int r = 0; r < rounds; r++) {
      for (Interpreter interpreter : interpreters) {
        ByteBuffer in = Engines.direct(interpreter.getInputTensor(0).numBytes());
        Map<Integer, Object> out = new HashMap<>();
        for (int o = 0; o < interpreter.getOutputTensorCount(); o++) {
          out.put(o, Engines.direct(interpreter.getOutputTensor(o).numBytes()));
        }
        interpreter.runForMultipleInputsOutputs(new Object[] {in}, out);
      }
    }
    System.out.println("ready " + interpreters.size());
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the interpreters until the parent closes our input
    }
    interpreters.forEach(Interpreter::close);
  }
}
