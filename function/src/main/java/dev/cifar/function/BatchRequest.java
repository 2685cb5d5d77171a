package dev.cifar.function;

import java.util.List;

/** Several images answered in one forward pass. */
public class BatchRequest extends JsonRequest {

  /** The images, each as in {@link PredictRequest}; without a {@code top} of their own. */
  public List<PredictRequest> images;

  /** How many classes to list per image; default 3. */
  public Integer top;
}
