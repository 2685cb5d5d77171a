package dev.cifar.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The Open Inference Protocol's {@code $inference_response}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public class InferenceResponse {

  /** The model's name. */
  @JsonProperty("model_name")
  public String modelName;

  /** The model's version: the start of its artifact's SHA-256. */
  @JsonProperty("model_version")
  public String modelVersion;

  /** The request's {@code id}, when it had one. */
  public String id;

  /** The output tensors. */
  public List<Output> outputs;

  /** The protocol's {@code $response_output}. */
  public static class Output {
    /** The output's name. */
    public String name;

    /** {@code FP32} probabilities, or {@code BYTES} for classification. */
    public String datatype;

    /** {@code [N, classes]}, or {@code [N, k]} for classification. */
    public long[] shape;

    /** The elements, row-major. */
    public List<Object> data;
  }
}
