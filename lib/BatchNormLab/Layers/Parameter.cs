using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Layers;

/// <summary>A learnable tensor with its gradient (same shape), as an optimiser sees it.</summary>
public sealed class Parameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a parameter holding <paramref name="value"/> and a zero gradient.</summary>
    public Parameter(string name, Matrix<T> value)
    {
        Name = name;
        Value = value;
        Grad = new Matrix<T>(value.Rows, value.Cols);
    }

    /// <summary>Name for displays and error messages, e.g. "dense1.W" or "bn2.gamma".</summary>
    public string Name { get; }

    /// <summary>The current value.</summary>
    public Matrix<T> Value { get; }

    /// <summary>
    /// Whether optimisers update it (default true). False freezes the value; its gradient is still computed. Keras's
    /// <c>trainable</c> without its side effect on batch norm: here the layer's mode is set separately.
    /// </summary>
    public bool Trainable { get; set; } = true;

    /// <summary>∂ℓ/∂value from the last backward pass (overwritten, not accumulated).</summary>
    public Matrix<T> Grad { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Value.Shape})";
}
