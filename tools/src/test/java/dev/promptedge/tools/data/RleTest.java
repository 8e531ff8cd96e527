package dev.promptedge.tools.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.image.Box;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RleTest {

  @Test
  void compactStringsMatchHandEncodedPycocotoolsValues() {
    // 5 and 3 fit one 5-bit group each: '0' + 5, '0' + 3.
    assertEquals("53", RleStrings.encode(new int[] {5, 3}));
    // 40 = 0b01000: low group 8 with continuation (8 | 32) + 48 = 'X', then 1 -> '1'.
    assertEquals("0X1", RleStrings.encode(new int[] {0, 40}));
    // From the fourth count on, the difference to the count two before: 5 - 2 = 3.
    assertEquals("1233", RleStrings.encode(new int[] {1, 2, 3, 5}));
    // 2 - 5 = -3: low group 29 (sign bit set, rest -1) -> 29 + 48 = 'M'.
    assertEquals("153M", RleStrings.encode(new int[] {1, 5, 3, 2}));
    assertArrayEquals(new int[] {1, 5, 3, 2}, RleStrings.decode("153M"));
    assertArrayEquals(new int[] {0, 40}, RleStrings.decode("0X1"));
  }

  @Test
  void compactStringsRoundTripRandomCounts() {
    SplittableRandom r = new SplittableRandom(3);
    for (int t = 0; t < 200; t++) {
      int[] c = new int[1 + r.nextInt(30)];
      for (int i = 0; i < c.length; i++) {
        c[i] = r.nextInt(r.nextBoolean() ? 40 : 100_000);
      }
      assertArrayEquals(c, RleStrings.decode(RleStrings.encode(c)));
    }
    assertThrows(IllegalArgumentException.class, () -> RleStrings.decode("0X"));
    assertThrows(IllegalArgumentException.class, () -> RleStrings.decode("0 "));
  }

  @Test
  void bitsRoundTripColumnMajorWithBounds() {
    // 4 wide, 3 high; pixels (1,0), (1,1), (2,1).
    BitSet bits = new BitSet();
    bits.set(0 * 4 + 1);
    bits.set(1 * 4 + 1);
    bits.set(1 * 4 + 2);
    Rle rle = Rle.fromBits(bits, 4, 3);
    // Column-major: col 0 = 000, col 1 = 110, col 2 = 010, col 3 = 000.
    assertArrayEquals(new int[] {3, 2, 2, 1, 4}, rle.counts());
    assertEquals(bits, rle.toBits());
    assertEquals(3, rle.area());
    assertEquals(new Box(1, 0, 3, 2), rle.bounds().orElseThrow());
    assertTrue(Rle.fromBits(new BitSet(), 4, 3).bounds().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> new Rle(4, 3, new int[] {3, 2}));
  }

  @Test
  void boundsOfARunWrappingIntoTheNextColumnSpanAllRows() {
    // 2x3: col 0 rows 2, col 1 row 0 -> run from pixel index 2 to 3.
    Rle rle = new Rle(2, 3, new int[] {2, 2, 2});
    assertEquals(new Box(0, 0, 2, 3), rle.bounds().orElseThrow());
  }

  @Test
  void polygonsRasterizeByPixelCentres() {
    // The square [1,4] x [1,3] covers centres x = 1.5, 2.5, 3.5 and y = 1.5, 2.5.
    PolygonMask square = new PolygonMask(6, 5, List.of(new double[] {1, 1, 4, 1, 4, 3, 1, 3}));
    Rle rle = square.toRle();
    assertEquals(6, rle.area());
    assertEquals(new Box(1, 1, 4, 3), rle.bounds().orElseThrow());
    // Right triangle (0,0),(4,0),(0,4): centre (x+.5, y+.5) inside when x + y + 1 < 4.
    Rle tri = new PolygonMask(5, 5, List.of(new double[] {0, 0, 4, 0, 0, 4})).toRle();
    assertEquals(6, tri.area()); // rows: 3 + 2 + 1
    BitSet b = tri.toBits();
    assertTrue(b.get(0 * 5 + 2) && !b.get(0 * 5 + 3) && b.get(2 * 5 + 0) && !b.get(3 * 5 + 0));
    // Two polygons are a union.
    Rle two =
        new PolygonMask(
                6,
                5,
                List.of(
                    new double[] {0, 0, 2, 0, 2, 2, 0, 2}, new double[] {1, 1, 3, 1, 3, 3, 1, 3}))
            .toRle();
    assertEquals(7, two.area());
  }
}
