package dev.cifar.function;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol's {@code $inference_request}: an optional {@code id} and {@code
 * parameters}, the input tensors and, optionally, the outputs asked for.
 */
@RegisterForReflection
public class InferenceRequest extends JsonRequest {

  /** Returned in the response when given. */
  public String id;

  /** Request parameters; none is understood, so any given is refused by name. */
  public Map<String, JsonNode> parameters;

  /** Exactly one input tensor: {@code pixels} (UINT8) or {@code images} (BYTES). */
  public List<Input> inputs;

  /** The outputs asked for; only {@code probabilities}. */
  public List<Output> outputs;

  /** The protocol's {@code $request_input}. */
  public static class Input extends JsonRequest {
    /** The tensor's name. */
    public String name;

    /** The tensor's shape. */
    public long[] shape;

    /** The element type, e.g. {@code UINT8}. */
    public String datatype;

    /** Input parameters; {@code binary_data_size} (binary tensors) is not supported. */
    public Map<String, JsonNode> parameters;

    /** The elements, flat in row-major order or nested. */
    public TensorData data;
  }

  /** The protocol's {@code $request_output}. */
  public static class Output extends JsonRequest {
    /** The output's name. */
    public String name;

    /** Output parameters: {@code classification} (the top k as {@code "p:index:label"}). */
    public Map<String, JsonNode> parameters;
  }
}
