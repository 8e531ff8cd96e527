/**
 * The seam between the runtime and the inference engines (TFLite, ONNX Runtime) that run models:
 * how an engine is configured ({@link dev.promptedge.runtime.engine.InterpreterConfig}), the
 * engines, and the {@link dev.promptedge.runtime.engine.Session}s they open ({@link
 * dev.promptedge.runtime.engine.SignatureRunner} for TFLite). It uses {@link
 * dev.promptedge.runtime.tflite} for the JNI library; that package does not use this one.
 */
package dev.promptedge.runtime.engine;
