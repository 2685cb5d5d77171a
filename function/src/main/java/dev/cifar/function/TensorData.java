package dev.cifar.function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code data} of an input tensor, read straight from the JSON stream into compact form: whole
 * numbers into an {@code int[]}, strings into a list, nested arrays flattened in row-major order.
 * Nothing else is kept of a wrong element but the first one's index and what it was, so a body of
 * millions of elements costs 4 bytes each, not a tree of nodes.
 */
@JsonDeserialize(using = TensorData.Reader.class)
@RegisterForReflection
public final class TensorData {

  private int[] numbers = new int[64];
  private int numberCount;
  private final List<String> strings = new ArrayList<>();
  private int count;
  private int problemIndex = -1;
  private String problem;
  private int firstString = -1;
  private int firstNumber = -1;

  /**
   * @return how many elements the data holds
   */
  public int count() {
    return count;
  }

  /**
   * @return the whole numbers, in order; all of them when {@link #strings()} is empty
   */
  public int[] numbers() {
    return Arrays.copyOf(numbers, numberCount);
  }

  /**
   * @return the strings, in order; all of them when {@link #numbers()} is empty
   */
  public List<String> strings() {
    return strings;
  }

  /**
   * @return the index of the first element that is neither a whole number in int range nor a
   *     string, or -1
   */
  public int problemIndex() {
    return problemIndex;
  }

  /**
   * @return what that element is, e.g. {@code 1.5} or {@code null}
   */
  public String problem() {
    return problem;
  }

  /**
   * Returns the first element that is not a whole number in int range, for a numeric tensor.
   *
   * @return its index, or -1
   */
  public int firstNonNumber() {
    return first(problemIndex, firstString);
  }

  /**
   * Returns the first element that is not a string, for a BYTES tensor.
   *
   * @return its index, or -1
   */
  public int firstNonString() {
    return first(problemIndex, firstNumber);
  }

  /**
   * Describes an element found by {@link #firstNonNumber} or {@link #firstNonString}.
   *
   * @param index its index
   * @return e.g. {@code 1.5}, {@code null}, {@code a string}, {@code a number}
   */
  public String describe(int index) {
    return index == problemIndex ? problem : index == firstString ? "a string" : "a number";
  }

  private static int first(int a, int b) {
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }

  private void number(int value) {
    if (firstNumber < 0) {
      firstNumber = count;
    }
    if (numberCount == numbers.length) {
      numbers = Arrays.copyOf(numbers, numbers.length * 2);
    }
    numbers[numberCount++] = value;
    count++;
  }

  private void string(String value) {
    if (firstString < 0) {
      firstString = count;
    }
    strings.add(value);
    count++;
  }

  private void wrong(String what) {
    if (problemIndex < 0) {
      problemIndex = count;
      problem = what;
    }
    count++;
  }

  /** Reads {@code data} token by token. */
  static final class Reader extends JsonDeserializer<TensorData> {
    @Override
    public TensorData deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      TensorData data = new TensorData();
      if (p.currentToken() != JsonToken.START_ARRAY) {
        data.wrong("not an array");
        p.skipChildren();
        return data;
      }
      int depth = 0;
      JsonToken token = p.currentToken();
      do {
        switch (token) {
          case START_ARRAY -> depth++;
          case END_ARRAY -> depth--;
          case VALUE_NUMBER_INT -> {
            if (p.getNumberType() == JsonParser.NumberType.INT) {
              data.number(p.getIntValue());
            } else {
              data.wrong(p.getText());
            }
          }
          case VALUE_NUMBER_FLOAT -> data.wrong(p.getText());
          case VALUE_STRING -> data.string(p.getText());
          case VALUE_NULL -> data.wrong("null");
          case VALUE_TRUE, VALUE_FALSE -> data.wrong("a boolean");
          case START_OBJECT -> {
            data.wrong("an object");
            p.skipChildren();
          }
          default -> data.wrong(token.toString());
        }
        if (depth == 0) {
          break;
        }
        token = p.nextToken();
      } while (token != null);
      return data;
    }

    @Override
    public TensorData getNullValue(DeserializationContext ctxt) {
      return null;
    }
  }
}
