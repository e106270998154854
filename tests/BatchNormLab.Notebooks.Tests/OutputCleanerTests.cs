using System.Text.Json.Nodes;
using BatchNormLab.Site;

namespace BatchNormLab.Notebooks.Tests;

public class OutputCleanerTests
{
    private static JsonObject Html(string html) => new()
    {
        ["output_type"] = "display_data",
        ["data"] = new JsonObject { ["text/html"] = new JsonArray(html) },
        ["metadata"] = new JsonObject(),
    };

    [Fact]
    public void Cleans_noise_keeps_last_progress_state_and_exposes_errors()
    {
        var code = new JsonObject
        {
            ["cell_type"] = "code",
            ["metadata"] = new JsonObject(),
            ["source"] = new JsonArray("\n", "Train(\"x\");\n", "more"),
            ["outputs"] = new JsonArray(
                Html("<div><strong>Installing Packages</strong></div>"),
                Html("<div><strong>Installed Packages</strong></div>"),
                Html("<div class=\"bnl-progress\" data-bnl-progress=\"p1\">1 / 3</div>"),
                Html("<table>kept</table>"),
                Html("<div class=\"bnl-progress\" data-bnl-progress=\"p1\">3 / 3</div>"),
                new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/plain"] = "" }, ["metadata"] = new JsonObject() },
                new JsonObject { ["output_type"] = "error", ["ename"] = "", ["evalue"] = "CS0103: nope", ["traceback"] = new JsonArray() }),
        };
        var nb = new JsonObject
        {
            ["cells"] = new JsonArray(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "Intro\n## The title\ntext" }, code),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 4,
        };
        var path = Path.Combine(Directory.CreateTempSubdirectory("bnl-clean-").FullName, "x.ipynb");
        File.WriteAllText(path, nb.ToJsonString());

        var result = OutputCleaner.Clean(path);

        Assert.Equal("The title", result.Title);
        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.CellNumber);
        Assert.Equal("Train(\"x\");", error.FirstLine);
        Assert.Equal("CS0103: nope", error.Message);
        var cleaned = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("cell-1", (string?)cleaned["cells"]![0]!["id"]);
        Assert.Equal(5, (int)cleaned["nbformat_minor"]!);
        var outputs = cleaned["cells"]![1]!["outputs"]!.AsArray();
        Assert.Equal(3, outputs.Count);
        Assert.Contains("3 / 3", OutputCleaner.SourceText(outputs[0]!["data"]!["text/html"]));
        Assert.Contains("kept", OutputCleaner.SourceText(outputs[1]!["data"]!["text/html"]));
        Assert.Equal("CS0103: nope", (string?)outputs[2]!["traceback"]![0]);
    }
}
