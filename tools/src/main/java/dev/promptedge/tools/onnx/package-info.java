/** Host-side ONNX export of backbone cards, on the runtime's TFLite → ONNX converter. */
package dev.promptedge.tools.onnx;
