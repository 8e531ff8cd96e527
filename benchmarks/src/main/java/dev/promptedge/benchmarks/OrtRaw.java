package dev.promptedge.benchmarks;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.bundle.HeadModel;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.OrtSessions;
import dev.promptedge.runtime.onnx.TfliteToOnnx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link RawInference} on ONNX Runtime: two {@link OrtSession}s with the runtime's settings, the
 * card's ONNX model and the head's ONNX translation (as the runtime makes it at install), run on
 * tensors over pre-filled direct buffers with the outputs pinned: the backbone writes its features
 * into the tensor the head reads.
 */
final class OrtRaw implements RawInference {

  private final List<AutoCloseable> owned = new ArrayList<>();
  private OrtSession backbone;
  private OrtSession head;
  private Map<String, OnnxTensor> backboneInputs;
  private Map<String, OnnxTensor> backboneOutputs;
  private Map<String, OnnxTensor> headInputs;
  private Map<String, OnnxTensor> headOutputs;
  private ByteBuffer out;

  private OrtRaw() {}

  static OrtRaw open(RawInference.Inputs in, InterpreterConfig config) {
    OrtRaw raw = new OrtRaw();
    try {
      raw.build(in, config);
      return raw;
    } catch (OrtException | IOException | RuntimeException e) {
      raw.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  private void build(RawInference.Inputs in, InterpreterConfig config)
      throws OrtException, IOException {
    backbone =
        own(OrtSessions.create(Files.readAllBytes(in.card().onnxPath(in.quantized())), config));
    byte[] headBytes = in.bundle().getHead().toByteArray();
    head =
        own(
            OrtSessions.create(
                TfliteToOnnx.convert(headBytes, HeadModel.SIGNATURE).toByteArray(), config));
    NodeInfo featureInfo = backbone.getOutputInfo().get(FEATURES);
    OnnxTensor features = tensor(featureInfo, buffer(featureInfo, null));
    NodeInfo pixels = backbone.getInputInfo().get(Backbone.PIXELS);
    NodeInfo prompt = backbone.getInputInfo().get(PROMPT);
    backboneInputs =
        Map.of(
            Backbone.PIXELS,
            tensor(pixels, buffer(pixels, in.pixels())),
            PROMPT,
            tensor(prompt, buffer(prompt, in.prompt())));
    backboneOutputs = Map.of(FEATURES, features);
    headInputs = Map.of(head.getInputNames().iterator().next(), features);
    String output = head.getOutputNames().iterator().next();
    out = buffer(head.getOutputInfo().get(output), null);
    headOutputs = Map.of(output, tensor(head.getOutputInfo().get(output), out));
  }

  /** {@code node}'s shape at batch 1 (dynamic dimensions at 1). */
  static long[] shape(NodeInfo node) {
    long[] shape = ((TensorInfo) node.getInfo()).getShape().clone();
    for (int i = 0; i < shape.length; i++) {
      shape[i] = Math.max(1, shape[i]);
    }
    return shape;
  }

  /** How many floats a tensor of {@code shape} holds. */
  static int floats(long[] shape) {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    return Math.toIntExact(count);
  }

  /** A direct buffer for {@code node} at batch 1, filled with {@code values} unless null. */
  private static ByteBuffer buffer(NodeInfo node, float[] values) {
    ByteBuffer buffer = Engines.direct(floats(shape(node)) * Float.BYTES);
    if (values != null) {
      buffer.asFloatBuffer().put(values);
    }
    return buffer;
  }

  /** A float tensor of {@code node}'s shape over {@code buffer} (no copy: the buffer is direct). */
  private OnnxTensor tensor(NodeInfo node, ByteBuffer buffer) throws OrtException {
    return own(
        OnnxTensor.createTensor(
            OrtEnvironment.getEnvironment(), buffer, shape(node), OnnxJavaType.FLOAT));
  }

  private <T extends AutoCloseable> T own(T resource) {
    owned.add(resource);
    return resource;
  }

  @Override
  // The results are only closed: both runs write into pinned output buffers (out).
  @SuppressWarnings("try")
  public Object run() {
    try (OrtSession.Result features = backbone.run(backboneInputs, backboneOutputs);
        OrtSession.Result result = head.run(headInputs, headOutputs)) {
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    owned.clear();
  }
}
