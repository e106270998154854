namespace BatchNormLab.Training;

/// <summary>The results of one <see cref="EvaluationSpec"/> at each of <see cref="TrainingHistory.EvaluationSteps"/>.</summary>
/// <param name="Spec">What was evaluated.</param>
/// <param name="Accuracy">Accuracy at each evaluation step.</param>
/// <param name="Loss">Mean loss at each evaluation step.</param>
public sealed record EvaluationSeries(EvaluationSpec Spec, double[] Accuracy, double[] Loss);
