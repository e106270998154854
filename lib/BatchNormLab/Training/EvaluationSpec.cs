using BatchNormLab.Data;
using BatchNormLab.Layers;

namespace BatchNormLab.Training;

/// <summary>
/// An extra evaluation the trainer runs at every scheduled evaluation step, besides the test set:
/// e.g. the test set in training mode next to inference mode, or a second data domain.
/// </summary>
/// <param name="Name">Key of the result in <see cref="TrainingHistory.Extra"/>.</param>
/// <param name="Data">The examples to evaluate.</param>
/// <param name="Mode">Batch norm's mode during the evaluation.</param>
/// <param name="BatchSize">Examples per forward pass (matters in training mode only).</param>
public sealed record EvaluationSpec(string Name, Dataset Data, Mode Mode = Mode.Inference, int BatchSize = 1000);
