/**
 * JMH benchmarks and measuring probes (inference, batching, install, swap, memory, load) over the
 * real runtime, and the report with tables and plots that {@code run.sh} writes from their results.
 */
package dev.promptedge.benchmarks;
