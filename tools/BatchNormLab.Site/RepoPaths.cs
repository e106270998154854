namespace BatchNormLab.Site;

/// <summary>The repository's folders, found from a starting folder by walking up to BatchNormLab.sln.</summary>
/// <param name="Root">Repository root.</param>
public sealed record RepoPaths(string Root)
{
    /// <summary>notebooks/: the committed notebooks (without outputs).</summary>
    public string Notebooks => Path.Combine(Root, "notebooks");

    /// <summary>node_modules/: the pinned front-end packages installed by .ci/setup.</summary>
    public string NodeModules => Path.Combine(Root, "node_modules");

    /// <summary>tools/BatchNormLab.Site/: the page template (nbconvert) and the site's own CSS and script.</summary>
    public string SiteTool => Path.Combine(Root, "tools", "BatchNormLab.Site");

    /// <summary>.tools/jupyter: the Jupyter data folder holding the .NET kernelspec that .ci/setup registers (passed as JUPYTER_PATH).</summary>
    public string JupyterPath => Path.Combine(Root, ".tools", "jupyter");

    /// <summary>Finds the root above <paramref name="start"/> (default: the current folder, then this assembly's folder).</summary>
    public static RepoPaths Find(string? start = null)
    {
        foreach (var s in new[] { start, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = s is null ? null : new DirectoryInfo(s); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "BatchNormLab.sln"))) return new RepoPaths(dir.FullName);
        }
        throw new DirectoryNotFoundException("Could not find the repository root (the folder holding BatchNormLab.sln) above the current folder.");
    }

    /// <summary>Every notebook in notebooks/ (NN-name.ipynb), in name order: discovered, never listed by hand.</summary>
    public IReadOnlyList<string> DiscoverNotebooks() =>
        Directory.GetFiles(Notebooks, "*.ipynb").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToArray();
}
