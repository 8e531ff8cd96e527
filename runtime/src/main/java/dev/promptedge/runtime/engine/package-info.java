/**
 * The seam between the runtime and the inference engines (TFLite, ONNX Runtime) that run models.
 */
package dev.promptedge.runtime.engine;
