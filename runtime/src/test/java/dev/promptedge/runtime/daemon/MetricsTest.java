package dev.promptedge.runtime.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
