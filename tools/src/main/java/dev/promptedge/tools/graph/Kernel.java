package dev.promptedge.tools.graph;

import ai.djl.ndarray.NDArray;

/**
 * One compiled operator: computes its output from its input arrays, positioned as the operator's
 * inputs (null where an input is an int32 constant folded at compile time or an omitted optional
 * input). Kernels hold no per-call state, so an executor reuses them across forwards.
 */
@FunctionalInterface
interface Kernel {

  /** Computes the operator's output; the result belongs to the arrays' manager. */
  NDArray apply(NDArray[] in);
}
