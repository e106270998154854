using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BatchNormLab.Site;

/// <summary>What cleaning an executed notebook found.</summary>
/// <param name="Title">The text of the first markdown heading (the page title).</param>
/// <param name="Errors">Cells that failed.</param>
/// <param name="CodeCells">Number of code cells.</param>
public sealed record CleanResult(string Title, IReadOnlyList<CellError> Errors, int CodeCells);

/// <summary>
/// Makes dotnet-repl's executed notebook fit to render: drops package-install progress, keeps only the
/// last state of each live-progress display, drops empty outputs, gives every cell an id, copies each
/// exception's text into its traceback (dotnet-repl leaves it empty, so nbconvert would show nothing)
/// and records the first heading as the title.
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
            var source = SourceText(cell["source"]);
            if ((string?)cell["cell_type"] == "markdown")
            {
                title ??= HeadingRegex().Match(source) is { Success: true } h ? h.Groups[1].Value.Trim() : null;
                continue;
            }
            if ((string?)cell["cell_type"] != "code") continue;
            codeCells++;
            var outputs = cell["outputs"]?.AsArray() ?? [];
            var kept = new List<JsonNode>();
            var progressSlot = new Dictionary<string, int>();
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
                    if (html.Contains("Installing Packages", StringComparison.Ordinal) || html.Contains("Installed Packages", StringComparison.Ordinal))
                        continue;
                    if (data.All(kv => SourceText(kv.Value).Trim().Length == 0)) continue;
                    var progress = ProgressRegex().Match(html);
                    if (progress.Success)
                    {
                        var id = progress.Groups[1].Value;
                        if (progressSlot.TryGetValue(id, out var slot)) { kept[slot] = o.DeepClone(); continue; }
                        progressSlot[id] = kept.Count;
                    }
                    o.Remove("transient");
                    if (o["metadata"] is null) o["metadata"] = new JsonObject();
                }
                else if (type == "stream" && SourceText(o["text"]).Trim().Length == 0)
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

    [GeneratedRegex("data-bnl-progress=\"([^\"]+)\"")]
    private static partial Regex ProgressRegex();
}
