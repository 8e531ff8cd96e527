package dev.promptedge.tools.graph;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * The one place the host engine starts DJL: PyTorch on the CPU, offline. {@code ai.djl.offline} is
 * set before DJL starts (unless the caller set it), so the native library comes from the
 * pytorch-native-cpu jar and nothing is downloaded.
 */
final class PyTorch {

  /** DJL's name of the engine. */
  static final String ENGINE = "PyTorch";

  private PyTorch() {}

  /** A new root manager on the CPU; the caller closes it. */
  static NDManager newManager() {
    return NDManager.newBaseManager(Device.cpu(), engine().getEngineName());
  }

  /** The PyTorch engine, started offline on first use. */
  static synchronized Engine engine() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    try {
      return Engine.getEngine(ENGINE);
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
