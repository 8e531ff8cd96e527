package dev.promptedge.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.OrtSessions;
import dev.promptedge.runtime.tflite.TfliteNative;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.lite.Interpreter;

/**
 * The memory baseline without bundles: {@code java ... TaskModels ENGINE ROUNDS MODEL...} loads
 * every baked task model on {@code ENGINE} ({@code tflite}: each {@code .tflite} mapped, with its
 * own interpreter; {@code onnxruntime}: each {@code .onnx} in its own session; 2 threads, XNNPACK
 * on TFLite), runs each {@code ROUNDS} times, prints {@code ready} and waits until its standard
 * input closes.
 */
public final class TaskModels {

  private TaskModels() {}

  /** Loads and runs the models, then holds them until standard input closes. */
  public static void main(String[] args) throws IOException, OrtException {
    EngineKind engine = EngineKind.parse(args[0]);
    int rounds = Integer.parseInt(args[1]);
    List<Path> models = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      models.add(Path.of(args[i]));
    }
    List<AutoCloseable> held =
        engine == EngineKind.ONNXRUNTIME ? sessions(models, rounds) : interpreters(models, rounds);
    System.out.println("ready " + held.size());
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the models until the parent closes our input
    }
    for (AutoCloseable model : held) {
      try {
        model.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static List<AutoCloseable> interpreters(List<Path> models, int rounds) {
    TfliteNative.load(Optional.empty());
    List<Interpreter> interpreters = new ArrayList<>();
    for (Path model : models) {
      interpreters.add(new Interpreter(Engines.map(model), Engines.options(Workbench.DAEMON)));
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
    return new ArrayList<>(interpreters);
  }

  private static List<AutoCloseable> sessions(List<Path> models, int rounds)
      throws IOException, OrtException {
    List<OrtSession> sessions = new ArrayList<>();
    for (Path model : models) {
      sessions.add(OrtSessions.create(Files.readAllBytes(model), Workbench.DAEMON));
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (int r = 0; r < rounds; r++) {
      for (OrtSession session : sessions) {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        for (var input : session.getInputInfo().entrySet()) {
          long[] shape = OrtRaw.shape(input.getValue());
          feeds.put(
              input.getKey(),
              OnnxTensor.createTensor(env, FloatBuffer.allocate(OrtRaw.floats(shape)), shape));
        }
        session.run(feeds).close();
        feeds.values().forEach(OnnxTensor::close);
      }
    }
    return new ArrayList<>(sessions);
  }
}
