// The notebooks' shared setup. The first cell of every notebook is the same two lines:
//   #r "nuget: XPlot.Plotly, 4.1.0"   (a package reference must sit in the cell itself)
//   #load "setup.csx"
// It references the library's Release build (run `dotnet build -c Release` at the repository root
// first; this says so if you forgot) and registers the display formatters. The tests run the notebooks
// on the build they test (BATCHNORMLAB_CONFIGURATION=Debug under a plain `dotnet test`).
using System.IO;
var bnlConfiguration = Environment.GetEnvironmentVariable("BATCHNORMLAB_CONFIGURATION") is { Length: > 0 } bnlC ? bnlC : "Release";
var bnlLib = Path.GetFullPath($"../lib/BatchNormLab.Notebooks/bin/{bnlConfiguration}/net10.0"); // the kernel starts in notebooks/
if (!File.Exists(Path.Combine(bnlLib, "BatchNormLab.Notebooks.dll")))
    throw new FileNotFoundException(
        $"The library is not built (nothing in {bnlLib}). At the repository root run: dotnet build -c {bnlConfiguration}, then run this cell again.");
var bnlAssemblies = new[] { "BatchNormLab.dll", "BatchNormLab.Experiments.dll", "BatchNormLab.Notebooks.dll" }.Select(f => Path.Combine(bnlLib, f)).ToArray();
// Load each assembly once, now, into the default context, before any cell touches a type: otherwise the
// kernel may load a second copy for the cells, and a call between the two copies fails at run time
// (an IProgress<T> implemented by one copy's type and called with the other's throws EntryPointNotFoundException).
var bnlLoaded = bnlAssemblies.Select(System.Reflection.Assembly.LoadFrom).ToArray();
((Microsoft.DotNet.Interactive.CSharp.CSharpKernel)Microsoft.DotNet.Interactive.Kernel.Current).AddAssemblyReferences(bnlAssemblies);
bnlLoaded[^1].GetType("BatchNormLab.Notebooks.Setup")!.GetMethod("Register")!.Invoke(null, null);
