using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchNormLab.Convolution;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;
using BatchNormLab.Tests.Reference;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Convolution;

/// <summary>One scenario for Reference/torch_conv.py: an op, its sizes and parameters, x and the upstream dy.</summary>
public sealed record ConvTorchCase(
    string Name, string Op, bool Float32, int N, ImageShape Shape, double[] X, double[] Dy,
    int OutChannels = 0, Window Window = default, double[]? Weight = null, double[]? Bias = null,
    double Eps = 1e-5, double? Momentum = 0.1, double[]? Gamma = null, double[]? Beta = null, double[][]? Warmup = null);

/// <summary>All parity cases, run through PyTorch once for the class.</summary>
public sealed class ConvTorchFixture
{
    private readonly Lazy<(string Version, JsonArray Results)> _torch;

    public ConvTorchFixture() => _torch = new(Run);

    public static IReadOnlyList<ConvTorchCase> Cases { get; } = BuildCases();

    /// <summary>Torch's answers, one JSON object per case; fails the test if Debian's PyTorch is missing.</summary>
    public (string Version, JsonArray Results) Torch => _torch.Value;

    private static (string, JsonArray) Run()
    {
        var request = JsonSerializer.Serialize(new
        {
            cases = Cases.Select(c => new
            {
                op = c.Op,
                dtype = c.Float32 ? "float32" : "float64",
                shape = new[] { c.N, c.Shape.Channels, c.Shape.Height, c.Shape.Width },
                x = c.X,
                dy = c.Dy,
                out_channels = c.OutChannels,
                kernel = c.Window.Kernel,
                stride = c.Window.Stride,
                padding = c.Window.Padding,
                weight = c.Weight,
                bias = c.Bias,
                eps = c.Eps,
                momentum = c.Momentum,
                gamma = c.Gamma,
                beta = c.Beta,
                warmup = c.Warmup,
                warmup_n = c.Warmup?.Select(b => b.Length / c.Shape.Size).ToArray(),
            }),
        });
        var root = JsonNode.Parse(TorchReference.RunScript("torch_conv.py", request))!;
        return (root["torch"]!.GetValue<string>(), root["results"]!.AsArray());
    }

    private static List<ConvTorchCase> BuildCases()
    {
        var cases = new List<ConvTorchCase>();
        foreach (var f32 in new[] { false, true })
        {
            var rng = new Random(f32 ? 12 : 11);
            double[] R(Matrix<double> m) => m.Data.Select(v => f32 ? (float)v : v).ToArray();
            var tag = f32 ? "float32" : "float64";

            foreach (var (n, shape, cOut, window, bias) in new[]
            {
                (4, new ImageShape(3, 9, 8), 5, new Window(3, 1, 1), true),
                (3, new ImageShape(2, 10, 7), 4, new Window(5, 2, 2), false),
                (2, new ImageShape(16, 7, 7), 8, new Window(3, 1, 1), true),
            })
            {
                var g = new ConvGeometry(shape, cOut, window);
                cases.Add(new ConvTorchCase($"{tag} conv {g}", "conv", f32, n, shape,
                    R(ConvTestData.Images<double>(n, shape, rng)), R(TestData.Gaussian<double>(n, g.Output.Size, rng)),
                    cOut, window, R(TestData.Gaussian<double>(cOut, g.PatchSize, rng, 0.3)),
                    bias ? TestData.Uniform(cOut, -1, 1, rng).Select(v => f32 ? (float)v : v).ToArray() : null));
            }

            var poolShape = new ImageShape(4, 8, 8);
            cases.Add(new ConvTorchCase($"{tag} pool 2x2", "pool", f32, 3, poolShape,
                R(ConvTestData.Images<double>(3, poolShape, rng)), R(TestData.Gaussian<double>(3, 4 * 4 * 4, rng)), Window: new Window(2, 2, 0)));
            // Values on a 0.5 grid: many ties inside windows, so the winner rule (first maximum) is compared too.
            var tieShape = new ImageShape(3, 9, 7);
            var ties = ConvTestData.Images<double>(2, tieShape, rng).Data.Select(v => Math.Round(v * 2) / 2).ToArray();
            var tieOut = MaxPoolMath.OutputShape(tieShape, new Window(3, 2, 1));
            cases.Add(new ConvTorchCase($"{tag} pool 3x3 stride 2 padding 1, ties", "pool", f32, 2, tieShape,
                ties, R(TestData.Gaussian<double>(2, tieOut.Size, rng)), Window: new Window(3, 2, 1)));

            foreach (var (n, shape, eps, momentum, warmups) in new[]
            {
                (4, new ImageShape(3, 5, 6), 1e-5, (double?)0.1, new[] { 4, 2, 8 }),
                (2, new ImageShape(5, 3, 3), 1e-3, null, new[] { 1, 3 }), // a warm-up batch of one image: 9 values per channel
            })
            {
                var means = TestData.Uniform(shape.Channels, -20, 20, rng);
                var stds = TestData.Uniform(shape.Channels, 0.1, 4, rng);
                cases.Add(new ConvTorchCase($"{tag} bn2d N={n} {shape} eps {eps} momentum {momentum?.ToString() ?? "null"}", "bn2d", f32, n, shape,
                    R(ConvTestData.Images<double>(n, shape, rng, means, stds)), R(TestData.Gaussian<double>(n, shape.Size, rng)),
                    Eps: eps, Momentum: momentum,
                    Gamma: Enumerable.Range(0, shape.Channels).Select(j => (j % 2 == 0 ? 1 : -1) * (0.5 + rng.NextDouble())).Select(v => f32 ? (float)v : v).ToArray(),
                    Beta: TestData.Uniform(shape.Channels, -2, 2, rng).Select(v => f32 ? (float)v : v).ToArray(),
                    Warmup: warmups.Select((m, k) => R(ConvTestData.Images<double>(m, shape, rng, means.Select(v => v + k).ToArray(), stds))).ToArray()));
            }
        }
        return cases;
    }
}

/// <summary>
/// Parity with PyTorch (Debian's python3-torch): Conv2d, MaxPool2d and BatchNorm2d, forward and backward (and
/// BatchNorm2d's running statistics and eval forward), float32 and float64. Errors are max |ours − torch| / max |torch|.
/// </summary>
public class ConvolutionTorchParityTests(ConvTorchFixture fixture, ITestOutputHelper output) : IClassFixture<ConvTorchFixture>
{
    public const double Float32Tolerance = 1e-5;
    public const double Float64Tolerance = 1e-12;

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < ConvTorchFixture.Cases.Count; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void MatchesPyTorch(int index)
    {
        var c = ConvTorchFixture.Cases[index];
        var (version, results) = fixture.Torch;
        var torch = results[index]!;
        var ours = c.Float32 ? Ours<float>(c) : Ours<double>(c);
        var tolerance = c.Float32 ? Float32Tolerance : Float64Tolerance;
        var errors = ours.Select(kv => (Name: kv.Key, Error: ConvTestData.ScaledError(kv.Value, Values(torch[kv.Key])))).ToList();
        Assert.True(errors.Count >= 2, "nothing compared");
        output.WriteLine($"torch {version}, {c.Name}: " + string.Join(", ", errors.Select(e => $"{e.Name} {e.Error:E2}")));
        foreach (var (name, error) in errors)
            Assert.True(error <= tolerance, $"{c.Name}: {name} differs from torch by {error:E2} (tolerance {tolerance:E0})");
    }

    private static double[] Values(JsonNode? n) => n!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    private static Dictionary<string, double[]> Ours<T>(ConvTorchCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        static double[] D(ReadOnlySpan<T> v) => v.ToArray().Select(double.CreateChecked).ToArray();
        Matrix<T> M(double[] v, int cols) => new Matrix<double>(v.Length / cols, cols, (double[])v.Clone()).Cast<T>();
        var x = M(c.X, c.Shape.Size);
        switch (c.Op)
        {
            case "conv":
            {
                var g = new ConvGeometry(c.Shape, c.OutChannels, c.Window);
                var conv = new Conv2d<T>("conv", c.Shape, c.OutChannels, c.Window, M(c.Weight!, g.PatchSize), c.Bias is not null);
                if (c.Bias is not null) M(c.Bias, c.OutChannels).Data.CopyTo(conv.Bias!.Value.Data, 0);
                var y = D(conv.Forward(x).Data);
                var dx = D(conv.Backward(M(c.Dy, g.Output.Size))!.Data);
                var result = new Dictionary<string, double[]> { ["y"] = y, ["x_grad"] = dx, ["weight_grad"] = D(conv.Weights.Grad.Data) };
                if (conv.Bias is not null) result["bias_grad"] = D(conv.Bias.Grad.Data);
                return result;
            }
            case "pool":
            {
                var pool = new MaxPool2d<T>("pool", c.Shape, c.Window.Kernel, c.Window.Stride, c.Window.Padding);
                var y = D(pool.Forward(x).Data);
                return new() { ["y"] = y, ["x_grad"] = D(pool.Backward(M(c.Dy, pool.OutputShape.Size))!.Data) };
            }
            default:
            {
                var bn = new BatchNorm2d<T>("bn", c.Shape, c.Eps, c.Momentum) { Mode = Mode.Training };
                M(c.Gamma!, c.Shape.Channels).Data.CopyTo(bn.PerChannel.Gamma.Value.Data, 0);
                M(c.Beta!, c.Shape.Channels).Data.CopyTo(bn.PerChannel.Beta.Value.Data, 0);
                foreach (var batch in c.Warmup!) bn.Forward(M(batch, c.Shape.Size));
                var result = new Dictionary<string, double[]>
                {
                    ["y"] = D(bn.Forward(x).Data),
                    ["x_grad"] = D(bn.Backward(M(c.Dy, c.Shape.Size))!.Data),
                    ["weight_grad"] = D(bn.PerChannel.Gamma.Grad.Data),
                    ["bias_grad"] = D(bn.PerChannel.Beta.Grad.Data),
                    ["running_mean"] = D(bn.PerChannel.RunningMean),
                    ["running_var"] = D(bn.PerChannel.RunningVariance),
                };
                bn.Mode = Mode.Inference;
                result["eval_y"] = D(bn.Forward(x).Data);
                return result;
            }
        }
    }
}
