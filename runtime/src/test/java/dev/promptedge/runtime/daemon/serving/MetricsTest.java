package dev.promptedge.runtime.daemon.serving;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.source.SourceStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Prometheus text written by hand. */
class MetricsTest {

  @Test
  void histogramBucketsAreCumulativeAndLabelsEscaped() {
    Metrics m = new Metrics();
    m.inference("det\"ect", 500); // 0.5 ms
    m.inference("det\"ect", 20_000); // 20 ms
    m.inference("det\"ect", 20_000_000); // 20 s: only +Inf
    m.bundleRejected("corrupt");
    m.swap();
    m.gauges(() -> 3, () -> 2);
    String text = m.render();
    assertTrue(text.contains("# TYPE promptedge_inference_latency_seconds histogram\n"), text);
    String series = "promptedge_inference_latency_seconds_bucket{task=\"det\\\"ect\",";
    assertTrue(text.contains(series + "le=\"0.001\"} 1\n"), text);
    assertTrue(text.contains(series + "le=\"0.025\"} 2\n"), text);
    assertTrue(text.contains(series + "le=\"10.0\"} 2\n"), text);
    assertTrue(text.contains(series + "le=\"+Inf\"} 3\n"), text);
    assertTrue(
        text.contains("promptedge_inference_latency_seconds_count{task=\"det\\\"ect\"} 3\n"), text);
    assertTrue(text.contains("promptedge_bundle_rejections_total{reason=\"corrupt\"} 1\n"), text);
    assertTrue(text.contains("promptedge_task_swaps_total 1\n"), text);
    assertTrue(text.contains("promptedge_queue_depth 3\n"), text);
    assertTrue(text.contains("promptedge_resident_bundles 2\n"), text);
    assertTrue(text.endsWith("\n"));
  }

  @Test
  void everySourceHasOneSeriesPerCounterAndFailuresByReason() {
    Metrics m = new Metrics();
    assertTrue(m.render().contains("# TYPE promptedge_source_frames_total counter\n"));
    m.sources(
        () ->
            List.of(
                new SourceStatus(
                    "door",
                    "http://cam/",
                    SourceStatus.State.CONNECTED,
                    10,
                    6,
                    3,
                    1,
                    0,
                    2,
                    4,
                    5,
                    Optional.empty(),
                    Optional.empty()),
                new SourceStatus(
                    "y\"ard",
                    "dir:/x",
                    SourceStatus.State.RECONNECTING,
                    0,
                    0,
                    0,
                    0,
                    7,
                    0,
                    0,
                    0,
                    Optional.of("x"),
                    Optional.empty())));
    String text = m.render();
    assertTrue(text.contains("promptedge_source_frames_total{source=\"door\"} 10\n"), text);
    assertTrue(text.contains("promptedge_source_frames_inferred_total{source=\"door\"} 6\n"), text);
    assertTrue(text.contains("promptedge_source_frames_dropped_total{source=\"door\"} 3\n"), text);
    String failures = "promptedge_source_frame_failures_total{source=\"door\",reason=";
    assertTrue(text.contains(failures + "\"decode\"} 1\n"), text);
    assertTrue(text.contains(failures + "\"stream\"} 2\n"), text);
    assertTrue(text.contains(failures + "\"inference\"} 0\n"), text);
    assertTrue(
        text.contains(
            "promptedge_source_frame_failures_total{source=\"y\\\"ard\",reason=\"inference\"} 7\n"),
        text);
    assertTrue(text.contains("promptedge_source_stream_errors_total{source=\"door\"} 4\n"), text);
    assertTrue(text.contains("promptedge_source_reconnects_total{source=\"door\"} 5\n"), text);
    assertTrue(text.contains("promptedge_source_connected{source=\"door\"} 1\n"), text);
    assertTrue(text.contains("promptedge_source_connected{source=\"y\\\"ard\"} 0\n"), text);
    m.sourceFrame("door", 40_000);
    m.sourceFrame("door", 2_000_000);
    String later = m.render();
    String latency = "promptedge_source_latency_seconds_bucket{source=\"door\",";
    assertTrue(later.contains(latency + "le=\"0.05\"} 1\n"), later);
    assertTrue(later.contains(latency + "le=\"+Inf\"} 2\n"), later);
    assertTrue(
        later.contains("promptedge_source_latency_seconds_count{source=\"door\"} 2\n"), later);
  }
}
