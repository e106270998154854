using System.Text.Json;
using System.Text.Json.Nodes;
using BatchNormLab.Checks;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;
using BatchNormLab.Tests.Reference;

namespace BatchNormLab.Tests.Normalization;

public class GroupNormTests
{
    private static GroupNorm<double> Layer(int features, int groups, Random rng)
    {
        var gn = new GroupNorm<double>("gn", features, groups);
        for (var j = 0; j < features; j++)
        {
            gn.Gamma.Value.Data[j] = 0.5 + 1.5 * rng.NextDouble() * (j % 2 == 0 ? 1 : -1);
            gn.Beta.Value.Data[j] = 2 * rng.NextDouble() - 1;
        }
        return gn;
    }

    [Theory]
    [InlineData(4, 12, 3)]
    [InlineData(2, 8, 2)]
    [InlineData(5, 6, 1)]
    public void GradientsMatchCentralDifferences(int n, int d, int groups)
    {
        var rng = new Random(7 + groups);
        var gn = Layer(d, groups, rng);
        var x = TestData.Features(n, Enumerable.Range(0, d).Select(j => 10.0 * (j % 3) - 5).ToArray(), Enumerable.Range(0, d).Select(j => 0.2 + j % 4).ToArray(), rng);
        var dy = TestData.Gaussian<double>(n, d, rng);
        gn.Forward(x);
        var dx = gn.Backward(dy)!.Clone();
        var dGamma = gn.Gamma.Grad.Data.ToArray();
        var dBeta = gn.Beta.Grad.Data.ToArray();
        double Loss() => TestData.Dot(dy, gn.Forward(x));
        foreach (var (values, analytic) in new[] { (x.Data, dx.Data), (gn.Gamma.Value.Data, dGamma), (gn.Beta.Value.Data, dBeta) })
        {
            var r = GradientCheck.Check(Loss, values, analytic);
            Assert.True(r.MaxRelativeError < 1e-7, r.ToString());
        }
    }

    [Fact]
    public void OneGroupIsLayerNormAndEveryExampleIsNormalisedOnItsOwn()
    {
        var rng = new Random(3);
        var x = TestData.Gaussian<double>(4, 6, rng, std: 3);
        var gn = new GroupNorm<double>("gn", 6, 1);
        var ln = new LayerNorm<double>("ln", 6);
        Assert.Equal(ln.Forward(x).Data, gn.Forward(x).Data);
        // Batch independence: one example alone gives the same output as in its batch, in training mode too.
        var g3 = new GroupNorm<double>("g3", 6, 3) { Mode = Mode.Training };
        var all = g3.Forward(x).Clone();
        var alone = g3.Forward(x.SliceRows(2, 1));
        Assert.Equal(all.Row(2).ToArray(), alone.Data);
    }

    [Fact]
    public void BadGroupCountsGetAClearError()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GroupNorm<double>("gn", 10, 3));
        Assert.Contains("divides the 10 features", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new GroupNorm<double>("gn", 6, 6));
        Assert.Contains("at least 2 features per group", e.Message);
    }

    [Fact]
    public void MatchesPyTorchGroupNorm()
    {
        var rng = new Random(11);
        var gn = Layer(8, 4, rng);
        var x = TestData.Features(5, [1, -2, 3, 0, 5, 5, -1, 2], [1, 2, 0.5, 1, 3, 0.1, 1, 2], rng);
        var dy = TestData.Gaussian<double>(5, 8, rng);
        var request = JsonSerializer.Serialize(new
        {
            kind = "group", groups = 4, eps = 1e-5, gamma = gn.Gamma.Value.Data, beta = gn.Beta.Value.Data,
            x = Rows(x), dy = Rows(dy),
        });
        var torch = System.Text.Json.Nodes.JsonNode.Parse(TorchReference.RunScript("torch_norms.py", request))!;
        var y = gn.Forward(x).Clone();
        var dx = gn.Backward(dy)!;
        Assert.True(TestData.MaxAbsDiff(y.Data, Flat(torch["y"])) < 1e-12);
        Assert.True(TestData.MaxAbsDiff(dx.Data, Flat(torch["x_grad"])) < 1e-12);
        Assert.True(TestData.MaxAbsDiff(gn.Gamma.Grad.Data, Flat(torch["grads"]!["gamma"])) < 1e-12);
        Assert.True(TestData.MaxAbsDiff(gn.Beta.Grad.Data, Flat(torch["grads"]!["beta"])) < 1e-12);
    }

    internal static double[][] Rows(Matrix<double> m) => Enumerable.Range(0, m.Rows).Select(i => m.Row(i).ToArray()).ToArray();

    internal static double[] Flat(JsonNode? node) =>
        node!.AsArray().SelectMany(v => v is JsonArray a ? a.Select(e => e!.GetValue<double>()) : [v!.GetValue<double>()]).ToArray();
}
