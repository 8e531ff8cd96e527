package dev.promptedge.runtime.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.promptedge.format.ApiError;
import dev.promptedge.format.ClassScore;
import dev.promptedge.format.DetectionBox;
import dev.promptedge.format.Health;
import dev.promptedge.format.HomeAssistantDevice;
import dev.promptedge.format.HomeAssistantSensor;
import dev.promptedge.format.InferResponse;
import dev.promptedge.format.InstallResponse;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SegmentationMap;
import dev.promptedge.format.TaskInfo;
import dev.promptedge.format.TaskKind;
import dev.promptedge.format.TaskList;
import dev.promptedge.format.TaskState;
import dev.promptedge.format.Timings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runtime's JSON mapping and protobuf's {@link JsonFormat} read each other's output alike. */
class ProtoJsonAgreementTest {

  static List<Message> messages() {
    return List.of(
        InferResponse.newBuilder()
            .setFormatVersion(1)
            .setBundleName("detect")
            .setBundleVersion(-1L) // 2^64 - 1 as uint64
            .setTask(TaskKind.DETECTION)
            .setImageWidth(640)
            .setTimings(Timings.newBuilder().setTotalUs(1234).setBackboneUs(1000))
            .addDetections(DetectionBox.newBuilder().setLabel("a\"b").setScore(0.25f).setXMax(3.5f))
            .addClasses(ClassScore.newBuilder().setClassId(3).setLabel("c").setProbability(0.75f))
            .setSegmentation(
                SegmentationMap.newBuilder()
                    .setWidth(2)
                    .addLabels("bg")
                    .addClassPixels(7)
                    .setMaskPng(ByteString.copyFrom(new byte[] {(byte) 0x89, 'P', 0, -1})))
            .build(),
        TaskList.newBuilder()
            .setActive("detect")
            .addTasks(TaskInfo.newBuilder().setName("detect").setVersion(3).addLabels("x"))
            .build(),
        Health.newBuilder().setStatus("ok").setUptimeSeconds(5).addStoreEvents("e").build(),
        ApiError.newBuilder().setCode("bad_request").setMessage("line\nbreak\u00e9").build(),
        InstallResponse.newBuilder().setName("n").setVersion(2).setActive(true).build(),
        TaskState.newBuilder()
            .setSource("door")
            .setBundleName("detect")
            .setBundleVersion(4)
            .setTask(TaskKind.DETECTION)
            .putCounts("sneaker", 2)
            .putCounts("bag", 1)
            .setObjects(3)
            .setFrameUnixMs(-5)
            .setInferenceUs(3100)
            .setDroppedFrames(9)
            .build(),
        PromptBundle.newBuilder().setName("p").putMetrics("map50", 0.5).build(),
        HomeAssistantSensor.newBuilder()
            .setName("door detect sneaker")
            .setUniqueId("pe_door_detect_sneaker")
            .setStateTopic("promptedge/pi/door/detect/state")
            .setValueTemplate("{{ value_json.counts['sneaker'] | default(0) }}")
            .setDevice(HomeAssistantDevice.newBuilder().addIdentifiers("pe").setName("PromptEdge"))
            .build());
  }

  @Test
  void jsonFormatReadsWhatProtoJsonWrites() throws InvalidProtocolBufferException {
    for (Message m : messages()) {
      Message.Builder parsed = m.newBuilderForType();
      JsonFormat.parser().merge(ProtoJson.print(m), parsed);
      assertEquals(m, parsed.build(), ProtoJson.print(m));
    }
  }

  @Test
  void protoJsonReadsWhatJsonFormatWrites() throws InvalidProtocolBufferException {
    for (Message m : messages()) {
      for (JsonFormat.Printer printer :
          List.of(
              JsonFormat.printer(),
              JsonFormat.printer().preservingProtoFieldNames(),
              JsonFormat.printer().alwaysPrintFieldsWithNoPresence())) {
        String json = printer.print(m);
        assertEquals(m, ProtoJson.merge(json, m.newBuilderForType()).build(), json);
      }
    }
  }

  @Test
  void writesTheSameTreeAsJsonFormatWhereNoFloatIsInvolved() throws InvalidProtocolBufferException {
    for (Message m : messages()) {
      if (m instanceof InferResponse || m instanceof PromptBundle) {
        continue; // float text differs (0.25 vs 0.25 is fine, 0.1f widens): compared by value above
      }
      String ours = ProtoJson.print(m);
      String theirs = JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(m);
      assertEquals(JsonParser.parseString(theirs), JsonParser.parseString(ours), ours);
    }
  }
}
