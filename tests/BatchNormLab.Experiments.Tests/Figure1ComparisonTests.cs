using BatchNormLab.Data;
using BatchNormLab.Experiments;
using Xunit.Abstractions;

namespace BatchNormLab.Experiments.Tests;

/// <summary>
/// Notebook 03's comparison on a short budget (2,000 steps, 2 seeds, 2 rates), run once for the class:
/// the early-training headlines, train accuracy next to test, recalibration, and rate selection on a
/// validation split that never touches the test set.
/// </summary>
public sealed class Figure1ComparisonFixture
{
    public Figure1ComparisonFixture()
    {
        var data = FashionMnist.Load();
        Train = data.Train;
        Options = new Figure1ComparisonOptions
        {
            Baseline = new Figure1Options { Steps = 2_000 },
            Seeds = [1, 2],
            Rates = [0.3, 1],
            SelectionSteps = 400,
            ValidationSize = 2_000,
            LinearEvaluations = 10,
        };
        Result = Figure1Comparison.Run(Options, data.Train, data.Test.Take(2_000));
    }

    public Dataset Train { get; }

    public Figure1ComparisonOptions Options { get; }

    public Figure1ComparisonResult Result { get; }
}

public class Figure1ComparisonTests(Figure1ComparisonFixture fixture, ITestOutputHelper output) : IClassFixture<Figure1ComparisonFixture>
{
    private readonly Figure1ComparisonResult _r = fixture.Result;

    private static double At(Figure1Run run, int step) => run.Recording.TestAccuracy[Array.IndexOf(run.Recording.EvaluationSteps, step)];

    [Fact]
    public void Every_seed_runs_both_networks_the_full_length()
    {
        Assert.Equal(2, _r.SharedWithout.Count);
        Assert.All(_r.SharedWithout.Concat(_r.SharedWith), r =>
        {
            Assert.Equal(fixture.Options.Baseline.Steps, r.History.Steps);
            Assert.Equal(fixture.Options.Baseline.LearningRate, r.LearningRate);
        });
        Assert.Equal([1, 2], _r.SharedWith.Select(r => r.Seed));
        Assert.Equal(_r.EvaluationSteps, fixture.Options.EvaluationSteps());
    }

    [Fact]
    public void Early_on_BN_learns_while_the_plain_network_sits_at_chance()
    {
        // Notebook 03: the plain network is at chance for the first hundred steps; BN is far above it by then.
        foreach (var (plain, bn) in _r.SharedWithout.Zip(_r.SharedWith))
        {
            output.WriteLine($"seed {plain.Seed}: step 100 {At(plain, 100):P1} vs {At(bn, 100):P1}");
            Assert.All(plain.Recording.EvaluationSteps.Where(s => s <= 100), s => Assert.InRange(At(plain, s), 0.05, 0.15));
            Assert.True(At(bn, 100) > At(plain, 100) + 0.4);
        }
        var spreadWith = _r.TestSpreadWith();
        var spreadWithout = _r.TestSpreadWithout();
        var k = Array.IndexOf(_r.EvaluationSteps, 100);
        Assert.True(spreadWith.Min[k] > spreadWithout.Max[k], "the worst BN seed beats the best plain seed at step 100");
    }

    [Fact]
    public void BN_reaches_80_percent_at_least_twice_as_soon()
    {
        foreach (var (plain, bn) in _r.SharedWithout.Zip(_r.SharedWith))
        {
            var a = plain.Recording.StepsToReach(0.8);
            var b = bn.Recording.StepsToReach(0.8);
            output.WriteLine($"seed {plain.Seed}: 80 % at {a} without, {b} with BN");
            Assert.NotNull(b);
            Assert.True(a is null || a >= 2 * b);
        }
    }

    [Fact]
    public void Train_accuracy_is_measured_on_the_training_set_and_BN_fits_it_better()
    {
        foreach (var (plain, bn) in _r.SharedWithout.Zip(_r.SharedWith))
        {
            output.WriteLine($"seed {plain.Seed}: train {plain.Final.TrainAccuracy:P2} / {bn.Final.TrainAccuracy:P2}, test {plain.Final.TestAccuracy:P2} / {bn.Final.TestAccuracy:P2}, loss {plain.Final.FinalTrainLoss:F3} / {bn.Final.FinalTrainLoss:F3}");
            Assert.True(bn.Final.TrainAccuracy > plain.Final.TrainAccuracy);
            Assert.True(bn.Final.FinalTrainLoss < plain.Final.FinalTrainLoss);
            Assert.True(double.IsNaN(plain.Final.TestAccuracyPopulation));
            Assert.Equal(bn.Recording.TestAccuracy[^1], bn.Final.TestAccuracy);
        }
    }

    [Fact]
    public void Population_statistics_never_cost_BN_more_than_half_a_point()
    {
        foreach (var bn in _r.SharedWith)
        {
            output.WriteLine($"seed {bn.Seed}: moving averages {bn.Final.TestAccuracy:P2}, population {bn.Final.TestAccuracyPopulation:P2}");
            Assert.True(bn.Final.TestAccuracyPopulation - bn.Final.TestAccuracy > -0.005);
            Assert.InRange(bn.Final.TrainAccuracyPopulation, 0.5, 1.0);
        }
    }

    [Fact]
    public void Each_rate_is_chosen_on_the_validation_split()
    {
        Assert.Equal(fixture.Options.Rates.Length, _r.ValidationWithout.Length);
        Assert.Equal(fixture.Options.Rates[Array.IndexOf(_r.ValidationWithout, _r.ValidationWithout.Max())], _r.BestRateWithout);
        Assert.Equal(fixture.Options.Rates[Array.IndexOf(_r.ValidationWith, _r.ValidationWith.Max())], _r.BestRateWith);
        Assert.Equal(_r.BestRateWithout, _r.OwnWithout.LearningRate);
        Assert.Equal(_r.BestRateWith, _r.OwnWith.LearningRate);
        Assert.Equal(1, _r.OwnWith.Seed);
        Assert.Equal(fixture.Options.Baseline.Steps, _r.OwnWith.History.Steps);
    }

    [Fact]
    public void The_validation_split_is_carved_from_the_training_set()
    {
        var (fit, validation) = Figure1Comparison.Split(fixture.Train, 2_000, 2015);
        Assert.Equal(2_000, validation.Count);
        Assert.Equal(fixture.Train.Count - 2_000, fit.Count);
        var seen = new HashSet<string>();
        for (var i = 0; i < fit.Count; i++) seen.Add(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(fit.Images.Row(i)).ToArray()));
        var shared = 0;
        for (var i = 0; i < validation.Count; i++)
            if (seen.Contains(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(validation.Images.Row(i)).ToArray()))) shared++;
        Assert.True(shared < 5, $"{shared} validation images also in the fitting part (only exact duplicates in the data could)");
        Assert.Throws<ArgumentOutOfRangeException>(() => Figure1Comparison.Split(fixture.Train, fixture.Train.Count, 1));
    }
}
