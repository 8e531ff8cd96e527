/**
 * Imports pretrained models from the wild ({@code .tflite} files and TF.js graph models) as
 * promptable frozen backbones: a TF.js reader and converter into TFLite builtins, TFLite-level
 * transforms (fold dequantized weights, cut at feature tensors, insert prompt inputs, dynamic
 * batch, the {@code encode} signature) and the workflow that proves the result against the
 * interpreter and the original model.
 */
package dev.promptedge.tools.importer;
