/**
 * Writers of float32 TFLite flatbuffers for the host: the ViT backbone with visual prompt tuning
 * ({@link dev.promptedge.tools.graph.VitBuilder}) and the linear task heads ({@link
 * dev.promptedge.tools.graph.HeadBuilder}), on a small one-subgraph {@link
 * dev.promptedge.tools.graph.TfliteModelBuilder}. Every op they emit runs in the TFLite 2.6.2
 * interpreter.
 */
package dev.promptedge.tools.graph;
