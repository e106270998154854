using BatchNormLab.Layers;

namespace BatchNormLab.Training;

/// <summary>A model's accuracy and mean loss on a data set.</summary>
/// <param name="Accuracy">Fraction of examples whose largest logit is the label's.</param>
/// <param name="Loss">Mean softmax cross-entropy.</param>
/// <param name="Count">Number of examples evaluated.</param>
/// <param name="Mode">Batch norm's mode during evaluation.</param>
/// <param name="BatchSize">Examples per forward pass (matters in training mode only).</param>
public readonly record struct Evaluation(double Accuracy, double Loss, int Count, Mode Mode, int BatchSize);
