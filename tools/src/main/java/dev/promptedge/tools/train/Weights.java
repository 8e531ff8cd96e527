package dev.promptedge.tools.train;

import dev.promptedge.tools.graph.TfliteGraph;
import java.util.List;

/** Which constants of a backbone learn when the backbone does. Stateless. */
final class Weights {

  private Weights() {}

  /**
   * The graph's float constants with more than one value: the weights. Scalar constants (layer norm
   * epsilon, attention scale, GELU slope) are part of the architecture and stay fixed: Adam would
   * move an epsilon of 1e-6 by the learning rate and make it negative.
   */
  static List<String> of(TfliteGraph graph) {
    return graph.constantNames().stream().filter(n -> graph.constant(n).length > 1).toList();
  }
}
