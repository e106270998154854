using System.Text.RegularExpressions;

namespace BatchNormLab.Site;

/// <summary>A work the lessons cite: how the prose names it, the full reference, and where to read it.</summary>
/// <param name="Pattern">How the prose cites it (matched in rendered HTML text, so "&amp;" appears as "&amp;amp;").</param>
/// <param name="Text">The entry in a page's reference list.</param>
/// <param name="Url">Where a reader finds it.</param>
public sealed record Reference(Regex Pattern, string Text, string Url);

/// <summary>Every work the notebooks cite. A page links the first citation of each and lists the ones it cites.</summary>
public static class References
{
    /// <summary>The works, in the order a reference list shows them.</summary>
    public static readonly IReadOnlyList<Reference> All =
    [
        new(new Regex(@"Ioffe &amp; Szegedy"), "Sergey Ioffe and Christian Szegedy (2015). Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift. ICML 2015.", "https://arxiv.org/abs/1502.03167"),
        new(new Regex(@"Ioffe,? 2017|batch renormalization paper"), "Sergey Ioffe (2017). Batch Renormalization: Towards Reducing Minibatch Dependence in Batch-Normalized Models. NeurIPS 2017.", "https://arxiv.org/abs/1702.03275"),
        new(new Regex(@"Ba, Kiros &amp; Hinton"), "Jimmy Lei Ba, Jamie Ryan Kiros and Geoffrey E. Hinton (2016). Layer Normalization.", "https://arxiv.org/abs/1607.06450"),
        new(new Regex(@"Santurkar et al\.?"), "Shibani Santurkar, Dimitris Tsipras, Andrew Ilyas and Aleksander Madry (2018). How Does Batch Normalization Help Optimization? NeurIPS 2018.", "https://arxiv.org/abs/1805.11604"),
        new(new Regex(@"Kratzert(&#8217;s|'s)?"), "Frederik Kratzert (2016). Understanding the backward pass through Batch Normalization Layer.", "https://kratzert.github.io/2016/02/12/understanding-the-gradient-flow-through-the-batch-normalization-layer.html"),
        new(new Regex(@"Alex Irpan(&#8217;s|'s)?|Irpan"), "Alex Irpan (2017). On The Perils of Batch Norm.", "https://www.alexirpan.com/2017/04/26/perils-batch-norm.html"),
        new(new Regex(@"CS231n"), "Stanford CS231n: Deep Learning for Computer Vision, assignment 2 (batch normalization).", "https://cs231n.github.io/"),
        new(new Regex(@"Fashion-MNIST"), "Han Xiao, Kashif Rasul and Roland Vollgraf (2017). Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning Algorithms.", "https://arxiv.org/abs/1708.07747"),
    ];
}
