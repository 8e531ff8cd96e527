/**
 * Build-time steps of the Debian packages: {@link dev.promptedge.packaging.StripNatives} keeps one
 * architecture's ONNX Runtime natives in the jar a package ships.
 */
package dev.promptedge.packaging;
