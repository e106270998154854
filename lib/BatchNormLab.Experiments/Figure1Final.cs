namespace BatchNormLab.Experiments;

/// <summary>
/// One trained network of the comparison, measured after its last step on the whole training and test sets
/// (inference mode).
/// </summary>
/// <param name="TrainAccuracy">On the training set, BN with its moving averages.</param>
/// <param name="TestAccuracy">On the test set, BN with its moving averages.</param>
/// <param name="TrainAccuracyPopulation">On the training set after recomputing BN's statistics over the training set (Algorithm 2); NaN without BN.</param>
/// <param name="TestAccuracyPopulation">On the test set after that recomputation; NaN without BN.</param>
/// <param name="FinalTrainLoss">Mean training-batch loss over the last 1,000 steps (training mode, as the optimiser saw it).</param>
public sealed record Figure1Final(double TrainAccuracy, double TestAccuracy, double TrainAccuracyPopulation, double TestAccuracyPopulation, double FinalTrainLoss)
{
    /// <summary>Train minus test accuracy (moving averages): the generalisation gap.</summary>
    public double Gap => TrainAccuracy - TestAccuracy;
}
