package dev.cifar.function;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body that remembers the fields it does not know, so that validation can reject them by
 * name instead of silently ignoring a misspelt {@code "tpo"}.
 */
public abstract class JsonRequest {

  private final List<String> unknown = new ArrayList<>();

  /**
   * Records a field this request does not have.
   *
   * @param name the field's name
   * @param value its value, ignored
   */
  @JsonAnySetter
  public void unknownField(String name, Object value) {
    unknown.add(name);
  }

  /**
   * Returns the names of fields the request had but its type does not know.
   *
   * @return the names, in order
   */
  @JsonIgnore
  public List<String> unknownFields() {
    return unknown;
  }
}
