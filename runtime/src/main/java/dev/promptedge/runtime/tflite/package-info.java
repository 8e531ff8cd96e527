/**
 * The TensorFlow Lite layer: loading the JNI library once, checking every model flatbuffer from
 * outside with {@link dev.promptedge.runtime.tflite.ModelVerifier} before an interpreter sees it,
 * and running model signatures.
 */
package dev.promptedge.runtime.tflite;
