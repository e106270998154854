using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Experiments;

/// <summary>
/// One normalisation layer per data domain at the same place in a network: the layer of the current
/// <see cref="Domain"/> runs, the others wait. Irpan's fix for two data sets fed through shared weights
/// ("separate batch norm variables per copy").
/// </summary>
public sealed class DomainSwitch : ILayer<float>
{
    private readonly NormalizationLayer<float>[] _layers;
    private int _domain;

    /// <summary>Switches between <paramref name="layers"/>, one per domain (domain 0 first).</summary>
    public DomainSwitch(string name, params NormalizationLayer<float>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length < 2) throw new ArgumentException("A domain switch needs a layer for each of at least two domains.", nameof(layers));
        Name = name;
        _layers = layers;
        Parameters = layers.SelectMany(l => l.Parameters).ToArray();
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The domain whose layer runs (0-based).</summary>
    public int Domain
    {
        get => _domain;
        set => _domain = (uint)value < (uint)_layers.Length ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{Name}: the domain is 0..{_layers.Length - 1}.");
    }

    /// <summary>The layer of each domain.</summary>
    public IReadOnlyList<NormalizationLayer<float>> Layers => _layers;

    /// <inheritdoc/>
    public Mode Mode
    {
        get => _layers[0].Mode;
        set
        {
            foreach (var layer in _layers) layer.Mode = value;
        }
    }

    /// <summary>Every domain's γ and β (each domain's gradients are zero on the other domains' steps).</summary>
    public IReadOnlyList<Parameter<float>> Parameters { get; }

    /// <inheritdoc/>
    public Matrix<float> Forward(Matrix<float> x) => _layers[_domain].Forward(x);

    /// <inheritdoc/>
    public Matrix<float>? Backward(Matrix<float> dy)
    {
        // The waiting domains took no part in this batch: their γ, β get no gradient from it.
        for (var d = 0; d < _layers.Length; d++)
            if (d != _domain)
                foreach (var p in _layers[d].Parameters) Array.Clear(p.Grad.Data);
        return _layers[_domain].Backward(dy);
    }
}
