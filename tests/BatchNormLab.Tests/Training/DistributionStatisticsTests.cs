using BatchNormLab.Activations;
using BatchNormLab.Training;
using MathNet.Numerics.Statistics;

namespace BatchNormLab.Tests.Training;

public class DistributionStatisticsTests
{
    [Theory]
    // NumPy: np.percentile([1, 2, 3, 4], [15, 50, 85]) = [1.45, 2.5, 3.55]
    [InlineData(15, 1.45)]
    [InlineData(50, 2.5)]
    [InlineData(85, 3.55)]
    [InlineData(0, 1.0)]
    [InlineData(100, 4.0)]
    public void Percentile_matches_numpys_default_on_a_small_case(double p, double expected)
    {
        Assert.Equal(expected, DistributionStatistics.Percentile([1f, 2f, 3f, 4f], p), 12);
    }

    [Fact]
    public void Percentile_matches_mathnet_type_7_quantiles_on_random_data()
    {
        var rng = new Random(11);
        foreach (var n in new[] { 1, 2, 7, 60, 6_000 })
        {
            var values = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 8 - 4)).ToArray();
            var sorted = values.Order().ToArray();
            var asDouble = values.Select(v => (double)v).ToArray();
            foreach (var p in new[] { 1.0, 15, 50, 85, 99.5 })
            {
                var reference = Statistics.QuantileCustom(asDouble, p / 100, QuantileDefinition.R7);
                Assert.Equal(reference, DistributionStatistics.Percentile(sorted, p), 10);
            }
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(5, 0)]
    [InlineData(60, 0)]
    [InlineData(6_000, 0)]
    [InlineData(6_000, 7)] // many ties: values drawn from only 7 levels
    [InlineData(999, 1)]   // all equal
    public void Selection_percentiles_equal_the_sorted_definition(int n, int levels)
    {
        var rng = new Random(n + levels);
        var values = Enumerable.Range(0, n).Select(_ => levels == 0 ? (float)(rng.NextDouble() * 10 - 5) : rng.Next(levels) - 3f).ToArray();
        var sorted = values.Order().ToArray();
        double[] percents = [0, 1, 15, 15, 50, 85, 99.9, 100];
        var results = new double[percents.Length];
        var work = (float[])values.Clone();
        DistributionStatistics.Percentiles(work, percents, results);
        for (var i = 0; i < percents.Length; i++) Assert.Equal(DistributionStatistics.Percentile(sorted, percents[i]), results[i]);
        Assert.Equal(sorted, work.Order()); // only reordered
    }

    [Fact]
    public void Select_puts_the_kth_smallest_in_place_with_smaller_values_before_it()
    {
        var rng = new Random(8);
        var values = Enumerable.Range(0, 1_000).Select(_ => (float)rng.Next(100)).ToArray();
        var sorted = values.Order().ToArray();
        foreach (var k in new[] { 0, 1, 499, 998, 999 })
        {
            var work = (float[])values.Clone();
            DistributionStatistics.Select(work, k);
            Assert.Equal(sorted[k], work[k]);
            Assert.All(work[..k], v => Assert.True(v <= work[k]));
            Assert.All(work[(k + 1)..], v => Assert.True(v >= work[k]));
        }
    }

    [Fact]
    public void Mean_and_population_standard_deviation_match_mathnet()
    {
        var rng = new Random(2);
        var values = Enumerable.Range(0, 500).Select(_ => (float)(3 + 2 * rng.NextDouble())).ToArray();
        var (mean, sd) = DistributionStatistics.MeanAndStandardDeviation(values);
        var asDouble = values.Select(v => (double)v).ToArray();
        Assert.Equal(asDouble.Mean(), mean, 10);
        Assert.Equal(asDouble.PopulationStandardDeviation(), sd, 10);
    }

    [Theory]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.ReLU)]
    public void Saturated_fraction_agrees_with_IsSaturated_element_by_element(Activation f)
    {
        var rng = new Random(4);
        var values = Enumerable.Range(0, 2_000).Select(_ => (float)(rng.NextDouble() * 14 - 7)).ToArray();
        var expected = values.Count(v => ActivationMath.IsSaturated(f, v)) / 2_000.0;
        Assert.InRange(expected, 0.05, 0.95); // the test data straddles the threshold
        Assert.Equal(expected, DistributionStatistics.SaturatedFraction(values, f));
    }

    [Fact]
    public void Histogram_counts_bins_and_out_of_range_values()
    {
        var counts = new int[4];
        var (below, above) = DistributionStatistics.Histogram([-3f, -2f, -1.5f, 0f, 0.99f, 1f, 1.99f, 2f, 5f], -2, 2, counts);
        Assert.Equal([2, 0, 2, 2], counts); // bins [-2,-1) [-1,0) [0,1) [1,2)
        Assert.Equal(1, below);
        Assert.Equal(2, above);
    }
}
