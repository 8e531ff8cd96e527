package dev.promptedge.tools.data;

import java.util.Arrays;

/**
 * COCO's compact RLE string (pycocotools {@code rleToString}/{@code rleFrString}): each count, from
 * the fourth on as a difference to the count two before, in 5-bit groups with a continuation bit
 * and sign extension, offset by 48 into printable ASCII.
 */
final class RleStrings {

  private RleStrings() {}

  static String encode(int[] counts) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < counts.length; i++) {
      long x = counts[i];
      if (i > 2) {
        x -= counts[i - 2];
      }
      boolean more = true;
      while (more) {
        long c = x & 0x1f;
        x >>= 5;
        more = (c & 0x10) != 0 ? x != -1 : x != 0;
        if (more) {
          c |= 0x20;
        }
        sb.append((char) (c + 48));
      }
    }
    return sb.toString();
  }

  static int[] decode(String s) {
    int[] counts = new int[Math.max(4, s.length())];
    int m = 0;
    int p = 0;
    while (p < s.length()) {
      long x = 0;
      int k = 0;
      boolean more = true;
      while (more) {
        if (p >= s.length()) {
          throw new IllegalArgumentException("compact RLE string ends inside a count");
        }
        int c = s.charAt(p) - 48;
        if (c < 0 || c > 63) {
          throw new IllegalArgumentException(
              "compact RLE string has character '" + s.charAt(p) + "' outside '0'..'o'");
        }
        if (k > 6) {
          throw new IllegalArgumentException("compact RLE string has a count that is too long");
        }
        x |= (long) (c & 0x1f) << (5 * k);
        more = (c & 0x20) != 0;
        p++;
        k++;
        if (!more && (c & 0x10) != 0) {
          x |= -1L << (5 * k);
        }
      }
      if (m > 2) {
        x += counts[m - 2];
      }
      if (x < 0 || x > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("compact RLE string decodes to a run of " + x);
      }
      counts[m++] = (int) x;
    }
    return Arrays.copyOf(counts, m);
  }
}
