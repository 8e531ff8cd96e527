/**
 * The TensorFlow Lite layer below the engines: loading the JNI library once, and checking every
 * model flatbuffer from outside with {@link dev.promptedge.runtime.tflite.ModelVerifier} before an
 * interpreter sees it. It depends on no other runtime package; {@link
 * dev.promptedge.runtime.engine} runs the checked models.
 */
package dev.promptedge.runtime.tflite;
