package dev.cifar.function.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.cifar.function.PredictFunctions;
import dev.cifar.function.PredictRequest;
import dev.cifar.function.PredictResponse;
import jakarta.inject.Named;

/**
 * The AWS Lambda binding ({@code -Plambda}): each invocation event is a {@link PredictRequest} and
 * is answered by the same {@code predict} function that serves HTTP. A bad request fails the
 * invocation with the function's message.
 */
@Named("predict")
public class PredictLambda implements RequestHandler<PredictRequest, PredictResponse> {

  private final PredictFunctions functions;

  PredictLambda(PredictFunctions functions) {
    this.functions = functions;
  }

  @Override
  public PredictResponse handleRequest(PredictRequest request, Context context) {
    return functions.predict(request);
  }
}
