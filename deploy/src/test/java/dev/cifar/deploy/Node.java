package dev.cifar.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A value inside a parsed YAML or JSON document, with the place it came from, so that every failure
 * names the file, the object and the field, e.g. {@code deploy/kubernetes/training-job.yml
 * Job/cifar-training: spec.template.spec.containers[0].image}.
 *
 * @param value the value ({@code null} when absent)
 * @param where the file and object
 * @param path the field's path within the object
 */
record Node(Object value, String where, String path) {

  /**
   * Starts at a document's root.
   *
   * @param document the parsed document
   * @param where the file and object, for messages
   * @return the root node
   */
  static Node root(Object document, String where) {
    return new Node(document, where, "");
  }

  /**
   * Returns a field, present or not.
   *
   * @param key the field's name
   * @return its node; {@link #exists()} tells whether it is there
   */
  Node get(String key) {
    Object child = value instanceof Map<?, ?> m ? m.get(key) : null;
    return new Node(child, where, path.isEmpty() ? key : path + "." + key);
  }

  /**
   * Follows a dotted path of fields, each of which must be present.
   *
   * @param dotted e.g. {@code spec.template.spec}
   * @return the node at its end
   * @throws AssertionError naming the first missing field
   */
  Node require(String dotted) {
    Node n = this;
    for (String key : dotted.split("\\.")) {
      n = n.get(key);
      if (!n.exists()) {
        throw new AssertionError(n.describe() + " is missing");
      }
    }
    return n;
  }

  /**
   * Tells whether the field is there.
   *
   * @return true when it has a value
   */
  boolean exists() {
    return value != null;
  }

  /**
   * Returns the elements of a list field (none when absent).
   *
   * @return the elements, each with its index in the path
   * @throws AssertionError when the field is not a list
   */
  List<Node> list() {
    List<Node> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof List<?> items)) {
      throw new AssertionError(describe() + " should be a list, not " + value);
    }
    for (int i = 0; i < items.size(); i++) {
      out.add(new Node(items.get(i), where, path + "[" + i + "]"));
    }
    return out;
  }

  /**
   * Returns the value as text.
   *
   * @return the value's text
   * @throws AssertionError when absent
   */
  String text() {
    if (value == null) {
      throw new AssertionError(describe() + " is missing");
    }
    return String.valueOf(value);
  }

  /**
   * Returns the value as a map (empty when absent).
   *
   * @return the map
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> map() {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?>)) {
      throw new AssertionError(describe() + " should be a mapping, not " + value);
    }
    return (Map<String, Object>) value;
  }

  /**
   * Names this field for a message.
   *
   * @return file, object and field path
   */
  String describe() {
    return where + ": " + (path.isEmpty() ? "(document)" : path);
  }
}
