using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>The two runs of <see cref="CnnExperiment"/>: the small CNN without and with spatial batch norm.</summary>
/// <param name="Options">The setup both ran with.</param>
/// <param name="WithoutBatchNorm">History of the plain network.</param>
/// <param name="WithBatchNorm">History of the BN network.</param>
/// <param name="ModelWithout">The trained plain network.</param>
/// <param name="ModelWith">The trained BN network.</param>
/// <param name="ChannelsWithout">Per-channel statistics of the recorded block, plain network.</param>
/// <param name="ChannelsWith">Per-channel statistics of the recorded block, BN network.</param>
public sealed record CnnExperimentResult(CnnExperimentOptions Options, TrainingHistory WithoutBatchNorm, TrainingHistory WithBatchNorm,
    Sequential<float> ModelWithout, Sequential<float> ModelWith, ChannelStatisticsSeries ChannelsWithout, ChannelStatisticsSeries ChannelsWith)
{
    /// <summary>Final test accuracy without BN.</summary>
    public double FinalAccuracyWithout => WithoutBatchNorm.FinalTestAccuracy;

    /// <summary>Final test accuracy with BN.</summary>
    public double FinalAccuracyWith => WithBatchNorm.FinalTestAccuracy;
}
