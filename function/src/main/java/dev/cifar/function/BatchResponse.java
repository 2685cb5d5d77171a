package dev.cifar.function;

import java.util.List;

/** The answers of a batch, in request order. */
public class BatchResponse {

  /** One prediction per image. */
  public List<PredictResponse> predictions;

  /** For JSON binding. */
  public BatchResponse() {}

  BatchResponse(List<PredictResponse> predictions) {
    this.predictions = predictions;
  }
}
