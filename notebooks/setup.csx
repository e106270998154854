// The notebooks' shared setup. The first cell of every notebook is the same two lines:
//   #r "nuget: XPlot.Plotly, 4.1.0"   (a package reference must sit in the cell itself)
//   #load "setup.csx"
// It references the library's Release build (run `dotnet build -c Release` at the repository root
// first; this says so if you forgot) and registers the display formatters.
using System.IO;
var bnlLib = Path.GetFullPath("../lib/BatchNormLab.Notebooks/bin/Release/net10.0"); // the kernel starts in notebooks/
if (!File.Exists(Path.Combine(bnlLib, "BatchNormLab.Notebooks.dll")))
    throw new FileNotFoundException(
        $"The library is not built (nothing in {bnlLib}). At the repository root run: dotnet build -c Release, then run this cell again.");
((Microsoft.DotNet.Interactive.CSharp.CSharpKernel)Microsoft.DotNet.Interactive.Kernel.Current)
    .AddAssemblyReferences(new[] { "BatchNormLab.dll", "BatchNormLab.Experiments.dll", "BatchNormLab.Notebooks.dll" }.Select(f => Path.Combine(bnlLib, f)));
// Load every library assembly into the kernel's context now, before a cell uses one: a real client
// (Jupyter, VS Code) otherwise loads BatchNormLab.Experiments a second time for the display library,
// and a later cell fails with "Field not found: 'Submission#N.x'" (the two copies' types differ).
foreach (var dll in new[] { "BatchNormLab.dll", "BatchNormLab.Experiments.dll" })
    System.Reflection.Assembly.LoadFrom(Path.Combine(bnlLib, dll));
System.Reflection.Assembly.LoadFrom(Path.Combine(bnlLib, "BatchNormLab.Notebooks.dll"))
    .GetType("BatchNormLab.Notebooks.Setup")!.GetMethod("Register")!.Invoke(null, null);
