package dev.promptedge.runtime.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.ClassificationParams;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationDecoderTest {

  private static final List<String> LABELS = List.of("a", "b", "c", "d");

  private static List<Integer> ids(List<ClassProbability> scores) {
    return scores.stream().map(ClassProbability::classId).toList();
  }

  @Test
  void softmaxOfHandWorkedLogits() {
    // e^0 : e^(ln 3) = 1 : 3 -> 0.25, 0.75.
    assertArrayEquals(
        new float[] {0.25f, 0.75f},
        ClassificationDecoder.softmax(new float[] {0, (float) Math.log(3)}, 0, 2),
        1e-7f);
  }

  @Test
  void softmaxIsStableForHugeLogits() {
    float[] p = ClassificationDecoder.softmax(new float[] {1000, 1000, -1000}, 0, 3);
    assertArrayEquals(new float[] {0.5f, 0.5f, 0f}, p);
  }

  @Test
  void topKOrdersByProbabilityThenLowerId() {
    // Logits (1, 3, 3, 0): b and c tie; b (id 1) comes first.
    float[] logits = {1, 3, 3, 0};
    List<ClassProbability> top2 = new ClassificationDecoder(LABELS, 2).decode(logits);
    assertEquals(List.of(1, 2), ids(top2));
    assertEquals("b", top2.get(0).label());
    assertEquals(top2.get(0).probability(), top2.get(1).probability());
    // e^3 / (e + 2 e^3 + 1) = 20.085537 / (2.718282 + 40.171074 + 1) = 20.085537 / 43.889356
    // = 0.457640
    assertEquals(0.457640f, top2.get(0).probability(), 1e-6f);
    assertEquals(List.of(1, 2, 0), ids(new ClassificationDecoder(LABELS, 3).decode(logits)));
  }

  @Test
  void allEqualLogitsKeepClassOrder() {
    assertEquals(List.of(0, 1, 2), ids(new ClassificationDecoder(LABELS, 3).decode(new float[4])));
  }

  @Test
  void kLargerThanTheClassCountReturnsEveryClass() {
    List<ClassProbability> all =
        new ClassificationDecoder(LABELS, 10).decode(new float[] {0, 2, -1, 5});
    assertEquals(List.of(3, 1, 0, 2), ids(all));
    double sum = all.stream().mapToDouble(ClassProbability::probability).sum();
    assertEquals(1.0, sum, 1e-6);
  }

  @Test
  void decodesAtAnOffsetAndRefusesNonFiniteLogits() {
    ClassificationDecoder d = new ClassificationDecoder(LABELS, 1);
    float[] batch = {9, 9, 9, 9, 0, 0, 7, 0};
    assertEquals(List.of(2), ids(d.decode(batch, 4)));
    assertThrows(IllegalArgumentException.class, () -> d.decode(batch, 5));
    IllegalArgumentException nan =
        assertThrows(
            IllegalArgumentException.class, () -> d.decode(new float[] {0, Float.NaN, 0, 0}));
    assertTrue(nan.getMessage().contains("logit 1 is NaN"), nan.getMessage());
  }

  @Test
  void fromParamsTakesTopK() {
    ClassificationDecoder d =
        ClassificationDecoder.fromParams(
            ClassificationParams.newBuilder().setTopK(2).build(), LABELS);
    assertEquals(4, d.outputSize());
    assertEquals(2, d.decode(new float[4]).size());
    assertThrows(
        IllegalArgumentException.class,
        () -> ClassificationDecoder.fromParams(ClassificationParams.getDefaultInstance(), LABELS));
    assertThrows(IllegalArgumentException.class, () -> new ClassificationDecoder(LABELS, 0));
  }
}
