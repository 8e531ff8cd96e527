/**
 * Converts the float32 TFLite models the project builds (ViT and CNN backbones, task heads) into
 * ONNX models for ONNX Runtime.
 *
 * <p>{@link dev.promptedge.runtime.onnx.TfliteToOnnx} is the entry point: it reads one signature of
 * a {@code .tflite} through the schema object API and writes an ONNX {@code ModelProto} (opset
 * {@value dev.promptedge.runtime.onnx.TfliteToOnnx#OPSET}) with the signature's names, a dynamic
 * batch and NHWC layout kept (transposes only around convolutions, poolings and resizes).
 */
package dev.promptedge.runtime.onnx;
