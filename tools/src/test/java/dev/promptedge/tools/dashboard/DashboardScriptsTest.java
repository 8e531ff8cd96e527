package dev.promptedge.tools.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.InferResponse;
import dev.promptedge.runtime.json.ProtoJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's scripts on real input in the browser: its Prometheus parser and quantiles, its
 * Server-Sent Events parser on every split of a stream, and its live view drawing the daemon's own
 * detection and segmentation results the way a frame event carries them.
 */
class DashboardScriptsTest extends InBrowser {

  @Test
  void thePrometheusParserReadsLabelsEscapesAndSpecialValues() {
    f.open();
    Object parsed =
        browser.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "import('/dashboard/api.js').then((m) => {"
                + "  const s = m.parsePrometheus(arguments[0]);"
                + "  const b = m.buckets(s, 'lat', {task: 'a'});"
                + "  done({n: s.length, first: s[0], esc: s[1].labels.path, inf: String(s[2].value),"
                + "    nan: String(s[3].value), ts: s[4].value, p50: m.quantile(b, 0.5),"
                + "    p100: m.quantile(b, 1)});"
                + "}).catch((e) => done({error: String(e)}));",
            "# HELP x A counter.\n# TYPE x counter\n"
                + "x 3\n"
                + "y{path=\"a\\\\b \\\"q\\\" \\n\",code=\"z\"} 1.5e3\n"
                + "g +Inf\n"
                + "h NaN\n"
                + "t 7 1700000000000\n"
                + "lat_bucket{task=\"a\",le=\"0.1\"} 2\n"
                + "lat_bucket{task=\"a\",le=\"0.2\"} 4\n"
                + "lat_bucket{task=\"a\",le=\"+Inf\"} 4\n"
                + "lat_bucket{task=\"b\",le=\"0.1\"} 9\n");
    @SuppressWarnings("unchecked")
    Map<String, Object> r = (Map<String, Object>) parsed;
    assertEquals(null, r.get("error"));
    assertEquals(9L, r.get("n"));
    assertEquals(Map.of("name", "x", "labels", Map.of(), "value", 3L), r.get("first"));
    assertEquals("a\\b \"q\" \n", r.get("esc"));
    assertEquals("Infinity", r.get("inf"));
    assertEquals("NaN", r.get("nan"));
    assertEquals(7L, r.get("ts"), "the timestamp is not the value");
    assertEquals(0.1, ((Number) r.get("p50")).doubleValue(), 1e-9);
    assertEquals(0.2, ((Number) r.get("p100")).doubleValue(), 1e-9);
  }

  @Test
  void theEventParserReadsEventsSplitAtAnyByte() {
    f.open();
    Object parsed =
        browser.executeAsyncScript(
            "const done = arguments[arguments.length - 1]; const text = arguments[0];"
                + "import('/dashboard/api.js').then((m) => {"
                + "  const runs = [];"
                + "  for (let cut = 0; cut <= text.length; cut++) {"
                + "    const got = [];"
                + "    const p = new m.EventParser((type, data) => got.push(type + '=' + data));"
                + "    p.push(text.slice(0, cut)); p.push(text.slice(cut)); p.end();"
                + "    runs.push(got.join('|'));"
                + "  }"
                + "  done([...new Set(runs)]);"
                + "}).catch((e) => done(['error ' + e]));",
            "event: frame\r\ndata: {\"source\":\"cam\"}\r\n\r\n"
                + ": keep-alive comment\n\n"
                + "data: line one\ndata:line two\nid: 7\n\n"
                + "event: frame\rdata: cr only\r\r"
                + "event: frame\ndata: never closed\n");
    assertEquals(
        List.of("frame={\"source\":\"cam\"}|message=line one\nline two|frame=cr only"),
        parsed,
        "every split of the stream gives the same events; the unterminated one is dropped");
  }

  @Test
  void aFrameEventIsListedAndDrawnWithItsBoxesAndMask() throws Exception {
    f.open();
    // Real results of the daemon, as a frame event carries them (FrameEvent.results).
    InferResponse detected = null;
    for (Path scene : DashboardFixture.scenes()) {
      InferResponse r = f.infer("fashion-detect", scene);
      if (r.getDetectionsCount() > 0) {
        detected = r;
        break;
      }
    }
    assertTrue(detected != null, "the demo detection bundle finds boxes on a demo scene");
    InferResponse segmented =
        f.infer("fashion-segment", DashboardFixture.segmentationScenes().get(0));
    assertEquals("background", segmented.getSegmentation().getLabels(0));
    long tinted = 0;
    for (int c = 1; c < segmented.getSegmentation().getClassPixelsCount(); c++) {
      tinted += segmented.getSegmentation().getClassPixels(c);
    }
    assertTrue(tinted > 0, "the scene has labelled pixels");

    @SuppressWarnings("unchecked")
    Map<String, Object> drawn =
        (Map<String, Object>)
            browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "const [det, seg] = [JSON.parse(arguments[0]), JSON.parse(arguments[1])];"
                    + "Promise.all([import('/dashboard/api.js'), import('/dashboard/live.js')])"
                    + ".then(async ([a, l]) => {"
                    + "  const box = document.createElement('div'); document.body.append(box);"
                    + "  const view = new l.LiveView(new a.Api(() => ''), box, document.createElement('p'));"
                    + "  const d = view.card('det'); const s = view.card('seg');"
                    + "  await d.frame({source: 'det', sequence: '4', results: [det], droppedFrames: '2'});"
                    + "  await s.frame({source: 'seg', sequence: '5', results: [seg], droppedFrames: '0'});"
                    + "  const lit = (c, x, y) => { const p = c.getContext('2d')"
                    + "    .getImageData(x, y, 1, 1).data; return p[0] + p[1] + p[2] > 0; };"
                    + "  const count = (c) => { const p = c.getContext('2d')"
                    + "    .getImageData(0, 0, c.width, c.height).data; let n = 0;"
                    + "    for (let i = 0; i < p.length; i += 4) if (p[i] + p[i + 1] + p[i + 2] > 0) n++;"
                    + "    return n; };"
                    + "  const z = d.canvas.width / det.imageWidth; const b = det.detections[0];"
                    + "  done({detText: d.results.innerText, segText: s.results.innerText,"
                    + "    zoom: z, segZoom: s.canvas.width / seg.imageWidth,"
                    + "    edge: lit(d.canvas, Math.floor(b.xMin * z),"
                    + "      Math.floor((b.yMin + b.yMax) / 2 * z)),"
                    + "    segLit: count(s.canvas)});"
                    + "}).catch((e) => done({error: String(e.stack || e)}));",
                ProtoJson.print(detected),
                ProtoJson.print(segmented));
    assertEquals(null, drawn.get("error"));
    String det = (String) drawn.get("detText");
    assertTrue(
        det.contains("fashion-detect v1")
            && det.contains(detected.getDetectionsCount() + " objects: "),
        det);
    for (var d : detected.getDetectionsList()) {
      assertTrue(det.contains(d.getLabel() + " "), d.getLabel() + " in " + det);
    }
    assertTrue(det.contains("frame 4, 2 dropped"), det);
    String seg = (String) drawn.get("segText");
    assertTrue(seg.contains("fashion-segment v1"), seg);
    assertFalse(seg.contains("background"), "the background is not listed: " + seg);
    assertEquals(8.0, ((Number) drawn.get("zoom")).doubleValue(), "64 px frames drawn 8x");
    assertEquals(true, drawn.get("edge"), "the box's left edge is drawn");
    double zoom = ((Number) drawn.get("segZoom")).doubleValue();
    assertEquals(
        tinted * zoom * zoom,
        ((Number) drawn.get("segLit")).doubleValue(),
        "exactly the labelled pixels of the mask are tinted");
  }
}
