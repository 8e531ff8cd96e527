package dev.promptedge.runtime.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.promptedge.format.ActivateRequest;
import dev.promptedge.format.DetectionBox;
import dev.promptedge.format.InferResponse;
import dev.promptedge.format.SegmentationMap;
import dev.promptedge.format.TaskKind;
import dev.promptedge.format.Timings;
import org.junit.jupiter.api.Test;

/** Proto3 JSON mapping without protobuf-java-util: printing and parsing round-trip. */
class ProtoJsonTest {

  @Test
  void inferResponseRoundTrips() {
    InferResponse response =
        InferResponse.newBuilder()
            .setFormatVersion(1)
            .setBundleName("de\"tect\n")
            .setBundleVersion(Long.MAX_VALUE)
            .setTask(TaskKind.SEGMENTATION)
            .setTimings(Timings.newBuilder().setTotalUs(1234))
            .addDetections(DetectionBox.newBuilder().setLabel("a").setScore(0.25f).setXMax(3.5f))
            .setSegmentation(
                SegmentationMap.newBuilder()
                    .setMaskPng(ByteString.copyFrom(new byte[] {(byte) 0x89, 'P', 0, -1})))
            .build();
    String json = ProtoJson.print(response);
    assertTrue(json.contains("\"bundleVersion\":\"9223372036854775807\""), json);
    assertTrue(json.contains("\"task\":\"SEGMENTATION\""), json);
    assertTrue(json.contains("\"bundleName\":\"de\\\"tect\\n\""), json);
    assertEquals(response, ProtoJson.merge(json, InferResponse.newBuilder()).build());
  }

  @Test
  void acceptsProtoNamesAndRefusesBadJson() {
    assertEquals(
        "x",
        ProtoJson.merge(" {\"name\": \"x\", \"format_version\": 1} ", ActivateRequest.newBuilder())
            .getName());
    for (String bad :
        new String[] {"", "{", "[1]", "{\"name\": 1}", "{\"other\": 1}", "{\"name\":\"x\"} x"}) {
      assertThrows(
          IllegalArgumentException.class,
          () -> ProtoJson.merge(bad, ActivateRequest.newBuilder()),
          bad);
    }
    String deep = "[".repeat(10_000);
    assertThrows(
        IllegalArgumentException.class, () -> ProtoJson.merge(deep, ActivateRequest.newBuilder()));
  }
}
