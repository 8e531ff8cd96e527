package dev.promptedge.tools.graph;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one place the host engine starts DJL: PyTorch on the CPU, offline. {@code ai.djl.offline} is
 * set before DJL starts (unless the caller set it), so the native library comes from the
 * pytorch-native-cpu jar and nothing is downloaded. Thread counts are process-wide: set them with
 * {@link #threads(int)}.
 */
final class PyTorch {

  /** DJL's name of the engine. */
  static final String ENGINE = "PyTorch";

  private static boolean started;

  private PyTorch() {}

  /** A new root manager on the CPU; the caller closes it. */
  static NDManager newManager() {
    return NDManager.newBaseManager(Device.cpu(), engine().getEngineName());
  }

  /**
   * Sets PyTorch's intra-op threads to {@code threads} and, when the engine has not started yet,
   * its inter-op threads to 1 (the host engine runs one op at a time, so inter-op threads only
   * idle). Process-wide; the last call wins. Returns the intra-op threads before the call.
   */
  static synchronized int threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (!started) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
      if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
      }
    }
    engine();
    int previous = JniUtils.getNumThreads();
    JniUtils.setNumThreads(threads);
    return previous;
  }

  /** PyTorch's current intra-op threads. */
  static int threads() {
    engine();
    return JniUtils.getNumThreads();
  }

  /** The PyTorch engine, started offline on first use. */
  static synchronized Engine engine() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    try {
      Engine engine = Engine.getEngine(ENGINE);
      started = true;
      return engine;
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new IllegalStateException(
          "cannot start DJL's PyTorch engine offline ("
              + e.getMessage()
              + "); the classpath needs ai.djl.pytorch:pytorch-native-cpu (linux-x86_64) and"
              + " pytorch-jni",
          e);
    }
  }
}
