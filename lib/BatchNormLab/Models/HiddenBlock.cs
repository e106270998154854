using System.Numerics;
using BatchNormLab.Activations;
using BatchNormLab.Layers;

namespace BatchNormLab.Models;

/// <summary>One hidden layer of an <see cref="Mlp{T}"/>: linear map, optional normalisation, nonlinearity.</summary>
public sealed record HiddenBlock<T>(Dense<T> Dense, ILayer<T>? Normalization, ActivationLayer<T> Activation)
    where T : unmanaged, IFloatingPointIeee754<T>;
