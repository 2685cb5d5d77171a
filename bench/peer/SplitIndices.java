import dev.cifar.data.Split;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Prints the 45,000/5,000 split of the 50,000 CIFAR-10 training images that {@code cifar:train}
 * makes for a seed, as JSON {@code {"train": [...], "dev": [...]}}, so that the peer can train and
 * measure on exactly the same images. Run from the repository root after a build: {@code java -cp
 * training-core/target/classes bench/peer/SplitIndices.java 42}.
 */
public class SplitIndices {
  public static void main(String[] args) {
    Split split = Split.of(50000, -1, 5000, Long.parseLong(args[0]));
    System.out.println(
        "{\"train\": " + json(split.train()) + ", \"dev\": " + json(split.dev()) + "}");
  }

  private static String json(int[] indices) {
    return Arrays.stream(indices)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
