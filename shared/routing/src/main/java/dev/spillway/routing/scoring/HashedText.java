package dev.spillway.routing.scoring;

import java.util.Arrays;
import java.util.Locale;

/**
 * A prompt as a sparse, L2-normalised vector: hashed word unigrams and bigrams (presence, not
 * counts), plus named extra features. Hashing keeps the model a fixed size without a vocabulary
 * file, at the price of rare collisions. Stateless.
 */
final class HashedText {

  /** The hashed space: 2^18 buckets keep collisions rare for MMLU-sized vocabularies. */
  static final int BUCKETS = 1 << 18;

  private HashedText() {}

  /** A sparse row: sorted distinct indices and their values. */
  record Row(int[] index, double[] value) {}

  /**
   * @param extraWeight the value of each extra feature (the words together have norm about 1)
   * @param extras names of extra binary features (e.g. {@code "category=anatomy"}), hashed into the
   *     same space
   */
  static Row of(String text, double extraWeight, String... extras) {
    String[] words = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
    int[] hashes = new int[words.length * 2 + extras.length];
    int count = 0;
    String previous = null;
    for (String word : words) {
      if (word.isEmpty()) {
        continue;
      }
      hashes[count++] = bucket(word);
      if (previous != null) {
        hashes[count++] = bucket(previous + ' ' + word);
      }
      previous = word;
    }
    int textFeatures = count;
    for (String extra : extras) {
      hashes[count++] = bucket('\u0001' + extra);
    }
    double wordValue = textFeatures == 0 ? 0 : 1 / Math.sqrt(textFeatures);
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] = i < textFeatures ? wordValue : extraWeight;
    }
    return merged(hashes, values, count);
  }

  /** Sorts by index; a bucket hit twice keeps the larger value (presence, not counts). */
  private static Row merged(int[] hashes, double[] values, int count) {
    long[] packed = new long[count];
    for (int i = 0; i < count; i++) {
      packed[i] = ((long) hashes[i] << 32) | i;
    }
    Arrays.sort(packed);
    int[] index = new int[count];
    double[] value = new double[count];
    int distinct = 0;
    for (long entry : packed) {
      int bucket = (int) (entry >>> 32);
      double v = values[(int) entry];
      if (distinct > 0 && index[distinct - 1] == bucket) {
        value[distinct - 1] = Math.max(value[distinct - 1], v);
      } else {
        index[distinct] = bucket;
        value[distinct++] = v;
      }
    }
    return new Row(Arrays.copyOf(index, distinct), Arrays.copyOf(value, distinct));
  }

  static int bucket(String token) {
    int h = token.hashCode() * 0x9E3779B1;
    return (h ^ (h >>> 15)) & (BUCKETS - 1);
  }
}
