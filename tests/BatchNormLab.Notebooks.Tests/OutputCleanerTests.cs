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

    private static JsonObject Plain(string text) => new()
    {
        ["output_type"] = "execute_result",
        ["data"] = new JsonObject { ["text/plain"] = text },
        ["metadata"] = new JsonObject(),
    };

    private static JsonObject Code(params JsonObject[] outputs) => new()
    {
        ["cell_type"] = "code",
        ["metadata"] = new JsonObject { ["execution"] = new JsonObject { ["iopub.execute_input"] = "2026-11-29T10:00:00Z" } },
        ["source"] = new JsonArray("\n", "Train(\"x\");\n", "more"),
        ["outputs"] = new JsonArray(outputs),
    };

    private static (CleanResult Result, JsonNode Cleaned) Clean(params JsonObject[] cells)
    {
        var nb = new JsonObject
        {
            ["cells"] = new JsonArray([new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "Intro\n## The title\ntext" }, .. cells]),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 4,
        };
        var path = Path.Combine(Directory.CreateTempSubdirectory("bnl-clean-").FullName, "x.ipynb");
        File.WriteAllText(path, nb.ToJsonString());
        var result = OutputCleaner.Clean(path);
        return (result, JsonNode.Parse(File.ReadAllText(path))!);
    }

    [Fact]
    public void Drops_kernel_noise_progress_and_timings_and_exposes_errors()
    {
        var (result, cleaned) = Clean(
            Code(),
            Code(
                Html("<div><strong>Installing Packages</strong></div>"),
                Html("<div><strong>Installed Packages</strong></div>"),
                Html("<div id='dotnet-interactive-this-cell-1'>bootstrap</div>"),
                Html($"<div class=\"bnl-progress\" {PageContract.ProgressAttribute}=\"p1\">3 / 3, done in 36.9 s</div>"),
                Html("<table>kept</table>"),
                Plain("1387 steps/s per network on this machine now"),
                new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "train: done in 4.2 s\n" },
                new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/plain"] = "" }, ["metadata"] = new JsonObject() },
                new JsonObject { ["output_type"] = "error", ["ename"] = "", ["evalue"] = "CS0103: nope", ["traceback"] = new JsonArray() }));

        Assert.Equal("The title", result.Title);
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.CellNumber);
        Assert.Equal("Train(\"x\");", error.FirstLine);
        Assert.Equal("CS0103: nope", error.Message);
        Assert.Equal("cell-1", (string?)cleaned["cells"]![0]!["id"]);
        Assert.Equal(5, (int)cleaned["nbformat_minor"]!);
        Assert.Null(cleaned["cells"]![2]!["metadata"]!["execution"]);
        var outputs = cleaned["cells"]![2]!["outputs"]!.AsArray();
        Assert.Equal(2, outputs.Count);
        Assert.Contains("kept", OutputCleaner.SourceText(outputs[0]!["data"]!["text/html"]));
        Assert.Equal("CS0103: nope", (string?)outputs[1]!["traceback"]![0]);
    }

    [Fact]
    public void A_string_value_becomes_a_sentence_with_tidy_numbers()
    {
        var (_, cleaned) = Clean(Code(), Code(Plain("largest change 1.6E-006 and <none>")));
        var data = cleaned["cells"]![2]!["outputs"]![0]!["data"]!;
        var html = OutputCleaner.SourceText(data["text/html"]);
        Assert.Equal($"<p class=\"{PageContract.ResultClass}\">largest change 1.6 &#215; 10⁻⁶ and &lt;none&gt;</p>", html);
    }

    [Fact]
    public void The_first_code_cell_is_tagged_as_setup_unless_it_has_tags()
    {
        var (_, cleaned) = Clean(Code(), Code());
        Assert.Equal(OutputCleaner.RemoveCellTag, (string?)cleaned["cells"]![1]!["metadata"]!["tags"]![0]);
        Assert.Null(cleaned["cells"]![2]!["metadata"]!["tags"]);

        var tagged = Code();
        tagged["metadata"]!["tags"] = new JsonArray("hide-input");
        var (_, kept) = Clean(tagged);
        Assert.Equal("hide-input", (string?)Assert.Single(kept["cells"]![1]!["metadata"]!["tags"]!.AsArray()));
    }
}

public class ProseTests
{
    [Theory]
    [InlineData("largest change 1.6E-006", "largest change 1.6 × 10⁻⁶")]
    [InlineData("max |value| 2.4E-012, against 40.02", "max |value| 2.4 × 10⁻¹², against 40.02")]
    [InlineData("agree (0.0E+000)", "agree (0)")]
    [InlineData("agree to 1e-12", "agree to 1 × 10⁻¹²")]
    [InlineData("about 6.8E+003 steps", "about 6.8 × 10³ steps")]
    [InlineData("784-100-100-100-10 and v1.2", "784-100-100-100-10 and v1.2")]
    public void Exponent_notation_is_written_as_a_power_of_ten(string text, string expected) =>
        Assert.Equal(expected, Prose.Tidy(text));
}
