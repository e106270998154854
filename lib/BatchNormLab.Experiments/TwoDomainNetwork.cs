using BatchNormLab.Activations;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// One MLP with batch norm fed two data domains: every dense layer (the weights) is shared, and the batch
/// norm layers are either shared too (one set of running estimates that sees both domains) or one per
/// domain (<see cref="DomainSwitch"/>: separate running estimates and separate γ, β), as with shared-weight towers.
/// </summary>
/// <remarks>
/// Built from the library's layers as three <see cref="Sequential{T}"/> models over the same layer objects:
/// <see cref="Model"/> (trained; its switches follow <see cref="Domain"/>) and one view per domain
/// (<see cref="For"/>) whose normalisation layers are that domain's, for evaluation.
/// </remarks>
public sealed class TwoDomainNetwork
{
    private readonly DomainSwitch[] _switches;
    private readonly Sequential<float>[] _views;

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
        var trained = new List<ILayer<float>>();
        var paths = new[] { new List<ILayer<float>>(), new List<ILayer<float>>() };
        var switches = new List<DomainSwitch>();
        for (var l = 0; l < sizes.Length - 2; l++)
        {
            var n = l + 1;
            var dense = new Dense<float>($"dense{n}", WeightInit.Create<float>(options.Init, sizes[l], sizes[l + 1], options.InitScale, rng), bias: false);
            if (l == 0) dense.ComputeInputGradient = false;
            var act = new ActivationLayer<float>($"{options.Activation.ToString().ToLowerInvariant()}{n}", options.Activation);
            BatchNorm<float> Bn(string name) => new(name, sizes[l + 1], options.BatchNormEps, options.BatchNormMomentum);
            ILayer<float> normalization;
            if (separateStatistics)
            {
                var s = new DomainSwitch($"bn{n}", Bn($"bn{n}.a"), Bn($"bn{n}.b"));
                switches.Add(s);
                normalization = s;
                for (var d = 0; d < 2; d++) paths[d].AddRange([dense, s.Layers[d], act]);
            }
            else
            {
                normalization = Bn($"bn{n}");
                for (var d = 0; d < 2; d++) paths[d].AddRange([dense, normalization, act]);
            }
            trained.AddRange([dense, normalization, act]);
        }
        var last = sizes.Length - 1;
        var output = new Dense<float>($"dense{last}", WeightInit.Create<float>(options.Init, sizes[last - 1], sizes[last], options.InitScale, rng), bias: true);
        trained.Add(output);
        _switches = [.. switches];
        Model = new Sequential<float>(sizes[0], sizes[^1], trained);
        _views = [.. paths.Select(p => new Sequential<float>(sizes[0], sizes[^1], p.Append(output)))];
    }

    /// <summary>Whether each domain has its own batch norm layers.</summary>
    public bool SeparateStatistics { get; }

    /// <summary>The model to train: with separate statistics its normalisation runs the current <see cref="Domain"/>'s layers.</summary>
    public Sequential<float> Model { get; }

    /// <summary>The domain the trained model's switches route through (0 or 1).</summary>
    public int Domain
    {
        get => _switches.Length == 0 ? 0 : _switches[0].Domain;
        set
        {
            if (value is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(value), value, "The domain is 0 or 1.");
            foreach (var s in _switches) s.Domain = value;
        }
    }

    /// <summary>The network as domain <paramref name="domain"/> sees it (shared weights, that domain's batch norm), for evaluation.</summary>
    public Sequential<float> For(int domain) =>
        domain is 0 or 1 ? _views[domain] : throw new ArgumentOutOfRangeException(nameof(domain), domain, "The domain is 0 or 1.");

    /// <summary>The batch norm layers domain <paramref name="domain"/> uses, in order.</summary>
    public IReadOnlyList<BatchNorm<float>> BatchNorms(int domain) => For(domain).LayersOf<BatchNorm<float>>();

    /// <summary>An observer that routes step t through domain t mod 2, in step with <see cref="Data.AlternatingBatches"/>.</summary>
    public ITrainingObserver AlternateDomains() => new Alternation(this);

    private sealed class Alternation(TwoDomainNetwork network) : ITrainingObserver
    {
        public void BeforeStep(int step, Optimizers.Sgd<float> sgd) => network.Domain = step % 2;
    }
}
