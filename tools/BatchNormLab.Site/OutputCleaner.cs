using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchNormLab.Notebooks;

namespace BatchNormLab.Site;

/// <summary>What cleaning an executed notebook found.</summary>
/// <param name="Title">The text of the first markdown heading (the page title).</param>
/// <param name="Errors">Cells that failed.</param>
/// <param name="CodeCells">Number of code cells.</param>
public sealed record CleanResult(string Title, IReadOnlyList<CellError> Errors, int CodeCells);

/// <summary>
/// Makes an executed notebook fit to render as a blog post: drops the kernel's noise (package-install
/// progress, its script bootstrap), live-progress displays and timing lines (a page is not a run);
/// shows a cell's string value as a sentence (<see cref="PageContract.ResultClass"/>, numbers tidied by
/// <see cref="Prose.Tidy"/>); tags the setup cell <c>remove-cell</c> when the notebook has not tagged it;
/// gives every cell an id, makes sure each error shows its message, and records the first heading as
/// the title.
/// </summary>
public static partial class OutputCleaner
{
    /// <summary>Cleans <paramref name="executedPath"/> in place and reports the failed cells.</summary>
    public static CleanResult Clean(string executedPath)
    {
        var root = JsonNode.Parse(File.ReadAllText(executedPath))?.AsObject()
            ?? throw new InvalidDataException($"{executedPath}: not a notebook (empty JSON).");
        var cells = root["cells"]?.AsArray() ?? throw new InvalidDataException($"{executedPath}: no 'cells' array.");
        var errors = new List<CellError>();
        string? title = null;
        var codeCells = 0;
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i]!.AsObject();
            cell["id"] = $"cell-{i + 1}";
            if (cell["metadata"] is JsonObject meta) meta.Remove("execution");
            var source = SourceText(cell["source"]);
            if ((string?)cell["cell_type"] == "markdown")
            {
                title ??= HeadingRegex().Match(source) is { Success: true } h ? h.Groups[1].Value.Trim() : null;
                continue;
            }
            if ((string?)cell["cell_type"] != "code") continue;
            if (++codeCells == 1) TagSetupCell(cell);
            var outputs = cell["outputs"]?.AsArray() ?? [];
            var kept = new List<JsonNode>();
            foreach (var output in outputs.ToList())
            {
                var o = output!.AsObject();
                var type = (string?)o["output_type"];
                if (type == "error")
                {
                    var text = $"{(string?)o["ename"]}{(string.IsNullOrEmpty((string?)o["ename"]) ? "" : ": ")}{(string?)o["evalue"]}".Trim();
                    if (o["traceback"] is not JsonArray tb || tb.Count == 0)
                        o["traceback"] = new JsonArray(text.Split('\n').Select(l => (JsonNode)JsonValue.Create(l)!).ToArray());
                    errors.Add(new CellError(i + 1, FirstLine(source), text));
                    kept.Add(o.DeepClone());
                    continue;
                }
                if (o["data"] is JsonObject data)
                {
                    var html = SourceText(data["text/html"]);
                    if (IsNoise(html) || IsTiming(html) || IsTiming(SourceText(data["text/plain"]))) continue;
                    if (data.All(kv => SourceText(kv.Value).Trim().Length == 0)) continue;
                    if (data.Count == 1 && data["text/plain"] is { } plain)
                        data = ResultSentence(SourceText(plain));
                    o["data"] = data.DeepClone();
                    o.Remove("transient");
                    if (o["metadata"] is null) o["metadata"] = new JsonObject();
                }
                else if (type == "stream" && (SourceText(o["text"]).Trim().Length == 0 || IsTiming(SourceText(o["text"]))))
                {
                    continue;
                }
                kept.Add(o.DeepClone());
            }
            cell["outputs"] = new JsonArray(kept.ToArray());
        }
        root["nbformat"] = 4;
        root["nbformat_minor"] = 5;
        var metadata = root["metadata"] as JsonObject ?? new JsonObject();
        root["metadata"] = metadata;
        title ??= Path.GetFileNameWithoutExtension(executedPath);
        metadata["title"] = title;
        File.WriteAllText(executedPath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return new CleanResult(title, errors, codeCells);
    }

    /// <summary>Tag of a cell left out of the page entirely (it still runs in the notebook).</summary>
    public const string RemoveCellTag = "remove-cell";

    /// <summary>
    /// The first code cell is the setup cell. When it carries no tags, it gets <see cref="RemoveCellTag"/>:
    /// a reader of the page does not need the plumbing that loads the library.
    /// </summary>
    internal static void TagSetupCell(JsonObject cell)
    {
        var metadata = cell["metadata"] as JsonObject ?? new JsonObject();
        cell["metadata"] = metadata;
        if (metadata["tags"] is JsonArray { Count: > 0 }) return;
        metadata["tags"] = new JsonArray(RemoveCellTag);
    }

    /// <summary>What the kernel shows that is no part of the lesson: package installs, its script bootstrap, live progress.</summary>
    internal static bool IsNoise(string html) =>
        html.Contains("Installing Packages", StringComparison.Ordinal) || html.Contains("Installed Packages", StringComparison.Ordinal)
        || html.Contains("dotnet-interactive-this-cell", StringComparison.Ordinal)
        || html.Contains(PageContract.ProgressAttribute + "=", StringComparison.Ordinal);

    /// <summary>A line about this run's speed ("done in 36.9 s", "1387 steps/s ... on this machine"): true of one machine on one day, not of the lesson.</summary>
    internal static bool IsTiming(string text) => TimingRegex().IsMatch(text);

    /// <summary>A cell's string value, shown as a sentence that wraps like prose.</summary>
    internal static JsonObject ResultSentence(string text)
    {
        var lines = Prose.Tidy(text.Trim()).Split('\n').Select(l => System.Net.WebUtility.HtmlEncode(l.TrimEnd()));
        var html = $"<p class=\"{PageContract.ResultClass}\">{string.Join("<br>", lines)}</p>";
        return new JsonObject { ["text/html"] = html, ["text/plain"] = text };
    }

    /// <summary>Notebook source or output text: a string or an array of lines.</summary>
    internal static string SourceText(JsonNode? node) => node switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(x => (string?)x ?? "")),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    private static string FirstLine(string source)
    {
        var line = source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(empty cell)";
        return line.Length > 80 ? line[..80] + "…" : line;
    }

    [GeneratedRegex(@"^\s*#{1,6}\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex HeadingRegex();

    [GeneratedRegex(@"\bsteps/s\b|\bdone in [0-9.]+ ?s\b|\bon this machine\b")]
    private static partial Regex TimingRegex();
}
