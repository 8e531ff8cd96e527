/**
 * Quantization of float32 TFLite backbones and heads for the 2.6.2 interpreter: dynamic range (int8
 * weights) and full integer (int8 weights and activations from calibration ranges, float signature
 * inputs and outputs kept), the card update that records the result, and the drift measure that
 * compares it with the float model. Entry point: {@link dev.promptedge.tools.quantize.Quantizer}.
 */
package dev.promptedge.tools.quantize;
