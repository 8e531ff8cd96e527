package dev.promptedge.runtime.daemon.serving;

import dev.promptedge.runtime.source.SourceStatus;
import java.util.List;
import java.util.function.ToLongFunction;

/** The frame sources' part of {@link Metrics#render()}: one series per source and counter. */
final class SourceMetrics {

  private SourceMetrics() {}

  static void write(StringBuilder out, List<SourceStatus> sources) {
    series(
        out,
        sources,
        "promptedge_source_frames_total",
        "counter",
        "Frames read from each source (after its fps cap).",
        SourceStatus::framesIn);
    series(
        out,
        sources,
        "promptedge_source_frames_inferred_total",
        "counter",
        "Frames whose tasks ran, per source.",
        SourceStatus::framesInferred);
    series(
        out,
        sources,
        "promptedge_source_frames_dropped_total",
        "counter",
        "Frames replaced by a newer one before inference took them, per source.",
        SourceStatus::framesDropped);
    Metrics.header(
        out,
        "promptedge_source_frame_failures_total",
        "counter",
        "Frames refused per source, by reason: decode (not an image), stream (refused by the"
            + " stream, e.g. too large), inference (the engine failed).");
    for (SourceStatus s : sources) {
      failures(out, s, "decode", s.decodeFailures());
      failures(out, s, "stream", s.frameErrors());
      failures(out, s, "inference", s.inferenceFailures());
    }
    series(
        out,
        sources,
        "promptedge_source_stream_errors_total",
        "counter",
        "Connections that failed or broke, per source.",
        SourceStatus::streamErrors);
    series(
        out,
        sources,
        "promptedge_source_reconnects_total",
        "counter",
        "Connections opened after the first, per source.",
        SourceStatus::reconnects);
    series(
        out,
        sources,
        "promptedge_source_connected",
        "gauge",
        "1 while a source's stream is connected, else 0.",
        s -> s.state() == SourceStatus.State.CONNECTED ? 1 : 0);
  }

  private static void failures(StringBuilder out, SourceStatus s, String reason, long value) {
    out.append("promptedge_source_frame_failures_total{source=\"")
        .append(Metrics.escape(s.name()))
        .append("\",reason=\"")
        .append(reason)
        .append("\"} ")
        .append(value)
        .append('\n');
  }

  private static void series(
      StringBuilder out,
      List<SourceStatus> sources,
      String name,
      String type,
      String help,
      ToLongFunction<SourceStatus> value) {
    Metrics.header(out, name, type, help);
    for (SourceStatus s : sources) {
      out.append(name)
          .append("{source=\"")
          .append(Metrics.escape(s.name()))
          .append("\"} ")
          .append(value.applyAsLong(s))
          .append('\n');
    }
  }
}
