package dev.promptedge.runtime.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The one place that creates an {@link OrtSession} with the runtime's settings: {@code
 * config.threads()} intra-op threads, one inter-op thread, all graph optimizations, the double-QDQ
 * remover off. {@link OrtEngine} wraps these sessions; a benchmark that times a bare session uses
 * the same ones. The caller owns and closes the session.
 */
public final class OrtSessions {

  /** ONNX Runtime session option that turns its double-QDQ-pair remover off. */
  static final String DISABLE_DOUBLE_QDQ_REMOVER = "session.disable_double_qdq_remover";

  private OrtSessions() {}

  /** A session over the process-wide {@link OrtEnvironment} for the ONNX protobuf {@code model}. */
  public static OrtSession create(byte[] model, InterpreterConfig config) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(config.threads());
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // The remover merges Q→DQ→Q→DQ chains (a requantization) into one rounding, unlike TFLite,
      // and writes rank-1 scales that then fail the QLinearAveragePool fusion at load time.
      options.addConfigEntry(DISABLE_DOUBLE_QDQ_REMOVER, "1");
      return OrtEnvironment.getEnvironment().createSession(model, options);
    }
  }
}
