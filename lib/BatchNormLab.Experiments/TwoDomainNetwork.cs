using BatchNormLab.Activations;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Experiments;

/// <summary>
/// One MLP with batch norm fed two data domains: every dense layer (the weights) is shared, and the batch
/// norm layers are either shared too (one set of running estimates that sees both domains) or one per
/// domain (separate μ_B/σ²_B running estimates and separate γ, β), as with shared-weight towers.
/// </summary>
public sealed class TwoDomainNetwork
{
    private readonly List<ILayer<float>>[] _paths = [[], []];

    /// <summary>Builds the network from <paramref name="options"/> (with batch norm) and a seed.</summary>
    /// <param name="options">Sizes, activation, initialisation and batch norm settings.</param>
    /// <param name="separateStatistics">True: one batch norm layer per domain; false: shared.</param>
    /// <param name="seed">Seed of the weights (the same weights either way).</param>
    public TwoDomainNetwork(MlpOptions options, bool separateStatistics, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sizes = options.Sizes;
        if (sizes.Length < 3) throw new ArgumentException("The network needs at least one hidden layer.", nameof(options));
        var rng = new Random(seed);
        SeparateStatistics = separateStatistics;
        for (var l = 0; l < sizes.Length - 2; l++)
        {
            var n = l + 1;
            var dense = new Dense<float>($"dense{n}", WeightInit.Create<float>(options.Init, sizes[l], sizes[l + 1], options.InitScale, rng), bias: false);
            if (l == 0) dense.ComputeInputGradient = false;
            var shared = new BatchNorm<float>($"bn{n}", sizes[l + 1], options.BatchNormEps, options.BatchNormMomentum);
            var act = new ActivationLayer<float>($"{options.Activation.ToString().ToLowerInvariant()}{n}", options.Activation);
            for (var domain = 0; domain < 2; domain++)
            {
                var bn = separateStatistics ? new BatchNorm<float>($"bn{n}.{(domain == 0 ? "a" : "b")}", sizes[l + 1], options.BatchNormEps, options.BatchNormMomentum) : shared;
                _paths[domain].AddRange([dense, bn, act]);
            }
        }
        var last = sizes.Length - 1;
        var output = new Dense<float>($"dense{last}", WeightInit.Create<float>(options.Init, sizes[last - 1], sizes[last], options.InitScale, rng), bias: true);
        _paths[0].Add(output);
        _paths[1].Add(output);
        Parameters = _paths[0].Concat(_paths[1]).Distinct().SelectMany(layer => layer.Parameters).ToList();
    }

    /// <summary>Whether each domain has its own batch norm layers.</summary>
    public bool SeparateStatistics { get; }

    /// <summary>Every learnable parameter, each once (shared weights are not counted twice).</summary>
    public IReadOnlyList<Parameter<float>> Parameters { get; }

    /// <summary>The batch norm layers domain <paramref name="domain"/> (0 or 1) goes through.</summary>
    public IEnumerable<BatchNorm<float>> BatchNorms(int domain) => Path(domain).OfType<BatchNorm<float>>();

    /// <summary>Training or inference mode for every layer.</summary>
    public Mode Mode
    {
        set
        {
            foreach (var layer in _paths[0].Concat(_paths[1])) layer.Mode = value;
        }
    }

    /// <summary>The logits for a batch of domain <paramref name="domain"/>.</summary>
    public Matrix<float> Forward(int domain, Matrix<float> x)
    {
        var h = x;
        foreach (var layer in Path(domain)) h = layer.Forward(h);
        return h;
    }

    /// <summary>Backpropagates ∂ℓ/∂logits of the last forward pass of <paramref name="domain"/>.</summary>
    public void Backward(int domain, Matrix<float> dLogits)
    {
        var path = Path(domain);
        Matrix<float>? g = dLogits;
        for (var i = path.Count - 1; i >= 0 && g is not null; i--) g = path[i].Backward(g);
    }

    private List<ILayer<float>> Path(int domain) =>
        domain is 0 or 1 ? _paths[domain] : throw new ArgumentOutOfRangeException(nameof(domain), domain, "The domain is 0 or 1.");
}
