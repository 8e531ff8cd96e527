/** The TensorFlow Lite layer: loading the JNI library once and running model signatures. */
package dev.promptedge.runtime.tflite;
