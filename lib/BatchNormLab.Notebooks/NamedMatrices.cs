using System.Numerics;
using System.Text;
using BatchNormLab.Tensors;

namespace BatchNormLab.Notebooks;

/// <summary>Several matrices shown side by side, each under its name (e.g. x, μ_B, σ²_B, x̂, y).</summary>
public sealed class NamedMatrices
{
    private readonly List<(string Name, string Html)> _items = [];

    /// <summary>Adds a matrix under <paramref name="name"/>; returns this for chaining.</summary>
    public NamedMatrices Add<T>(string name, Matrix<T> m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        _items.Add((name, MatrixTable.Html(m, name)));
        return this;
    }

    /// <summary>Adds a per-feature vector (shown as one row) under <paramref name="name"/>.</summary>
    public NamedMatrices Add<T>(string name, ReadOnlySpan<T> v) where T : unmanaged, IFloatingPointIeee754<T> =>
        Add(name, Matrix<T>.RowVector(v.ToArray()));

    /// <summary>Number of matrices added.</summary>
    public int Count => _items.Count;

    /// <summary>The HTML: the tables in a wrapping row.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder("<div class=\"bnl-matrices\" style=\"display: flex; flex-wrap: wrap; align-items: flex-start;\">");
        foreach (var (_, html) in _items) sb.Append(html);
        return sb.Append("</div>").ToString();
    }
}
