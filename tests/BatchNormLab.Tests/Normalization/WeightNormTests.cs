using System.Text.Json;
using BatchNormLab.Checks;
using BatchNormLab.Normalization;
using BatchNormLab.Tests.Reference;

namespace BatchNormLab.Tests.Normalization;

public class WeightNormTests
{
    private static WeightNormDense<double> Layer(int inputs, int outputs, Random rng)
    {
        var layer = new WeightNormDense<double>("wn", TestData.Gaussian<double>(inputs, outputs, rng));
        for (var j = 0; j < outputs; j++)
        {
            layer.G.Value.Data[j] = 0.5 + 2 * rng.NextDouble();
            layer.Bias.Value.Data[j] = rng.NextDouble() - 0.5;
        }
        return layer;
    }

    [Fact]
    public void GradientsMatchCentralDifferences()
    {
        var rng = new Random(5);
        var layer = Layer(6, 4, rng);
        var x = TestData.Features(5, [1, -2, 0.5, 3, 0, 2], [1, 0.5, 2, 1, 3, 0.2], rng);
        var dy = TestData.Gaussian<double>(5, 4, rng);
        layer.Forward(x);
        var dx = layer.Backward(dy)!.Clone();
        var dv = layer.V.Grad.Data.ToArray();
        var dg = layer.G.Grad.Data.ToArray();
        var db = layer.Bias.Grad.Data.ToArray();
        double Loss() => TestData.Dot(dy, layer.Forward(x));
        foreach (var (values, analytic) in new[] { (x.Data, dx.Data), (layer.V.Value.Data, dv), (layer.G.Value.Data, dg), (layer.Bias.Value.Data, db) })
        {
            var r = GradientCheck.Check(Loss, values, analytic);
            Assert.True(r.MaxRelativeError < 1e-7, r.ToString());
        }
    }

    [Fact]
    public void EachUnitsWeightHasLengthGAndTheGradientOfVIsOrthogonalToV()
    {
        var rng = new Random(6);
        var layer = Layer(5, 3, rng);
        layer.Forward(TestData.Gaussian<double>(4, 5, rng));
        layer.Backward(TestData.Gaussian<double>(4, 3, rng));
        var w = layer.Weights;
        var v = layer.V.Value;
        for (var j = 0; j < 3; j++)
        {
            var length = Math.Sqrt(Enumerable.Range(0, 5).Sum(i => w[i, j] * w[i, j]));
            Assert.Equal(layer.G.Value.Data[j], length, 12);
            // Scaling v does not change w, so the loss has no gradient along v.
            Assert.Equal(0, Enumerable.Range(0, 5).Sum(i => layer.V.Grad[i, j] * v[i, j]), 12);
        }
        Assert.Throws<ArgumentException>(() => new WeightNormDense<double>("wn", new BatchNormLab.Tensors.Matrix<double>(3, 2)));
    }

    [Fact]
    public void MatchesPyTorchWeightNorm()
    {
        var rng = new Random(9);
        var layer = Layer(6, 3, rng);
        var x = TestData.Gaussian<double>(4, 6, rng);
        var dy = TestData.Gaussian<double>(4, 3, rng);
        var request = JsonSerializer.Serialize(new
        {
            kind = "weight", v = GroupNormTests.Rows(layer.V.Value), g = layer.G.Value.Data, b = layer.Bias.Value.Data,
            x = GroupNormTests.Rows(x), dy = GroupNormTests.Rows(dy),
        });
        var torch = System.Text.Json.Nodes.JsonNode.Parse(TorchReference.RunScript("torch_norms.py", request))!;
        var y = layer.Forward(x).Clone();
        var dx = layer.Backward(dy)!;
        Assert.True(TestData.MaxAbsDiff(y.Data, GroupNormTests.Flat(torch["y"])) < 1e-12);
        Assert.True(TestData.MaxAbsDiff(dx.Data, GroupNormTests.Flat(torch["x_grad"])) < 1e-12);
        Assert.True(TestData.MaxAbsDiff(layer.V.Grad.Data, GroupNormTests.Flat(torch["grads"]!["v"])) < 1e-12);
        Assert.True(TestData.MaxAbsDiff(layer.G.Grad.Data, GroupNormTests.Flat(torch["grads"]!["g"])) < 1e-12);
        Assert.True(TestData.MaxAbsDiff(layer.Bias.Grad.Data, GroupNormTests.Flat(torch["grads"]!["bias"])) < 1e-12);
    }
}
