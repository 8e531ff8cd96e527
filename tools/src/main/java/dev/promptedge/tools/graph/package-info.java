/**
 * The host's graph engine for float32 TFLite backbones.
 *
 * <p>Writers: the ViT backbone with visual prompt tuning ({@link
 * dev.promptedge.tools.graph.VitBuilder}) and the linear task heads ({@link
 * dev.promptedge.tools.graph.HeadBuilder}), on a small one-subgraph {@link
 * dev.promptedge.tools.graph.TfliteModelBuilder}. Every op they emit runs in the TFLite 2.6.2
 * interpreter.
 *
 * <p>Execution: {@link dev.promptedge.tools.graph.TfliteGraph} reads any float32 model whose ops
 * the host engine supports, {@link dev.promptedge.tools.graph.GraphExecutor} runs it on DJL
 * (PyTorch, CPU, offline) with autograd, {@link dev.promptedge.tools.graph.InterpreterParity}
 * measures it against the interpreter and {@link dev.promptedge.tools.graph.GraphWriteBack} writes
 * trained constants back into a new {@code .tflite} and card.
 */
package dev.promptedge.tools.graph;
