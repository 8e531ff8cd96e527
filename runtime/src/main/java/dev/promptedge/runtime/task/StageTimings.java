package dev.promptedge.runtime.task;

/**
 * Where the time of one inference went, in microseconds. In a batch, the backbone time is that of
 * the whole batched call.
 */
public record StageTimings(
    long preprocessMicros, long backboneMicros, long headMicros, long postprocessMicros) {

  /** Sum of the stages. */
  public long totalMicros() {
    return preprocessMicros + backboneMicros + headMicros + postprocessMicros;
  }
}
