using BatchNormLab.Data;
using BatchNormLab.Experiments;

namespace BatchNormLab.Experiments.Tests;

/// <summary>The small budget the perils tests share: real Fashion-MNIST, a smaller network, few steps.</summary>
internal static class PerilsTestSetup
{
    public static Dataset Train => FashionMnist.Load().Train;

    public static Dataset Test => FashionMnist.Load().Test;

    /// <summary>784-64-64-10 sigmoid, 2,000 test examples per accuracy; renorm's schedule scaled to each run.</summary>
    public static PerilsOptions Options { get; } = new()
    {
        Sizes = [784, 64, 64, 10],
        Steps = 500,
        EvaluationExamples = 2000,
        Seed = 1,
    };
}
